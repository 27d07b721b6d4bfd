import { describe, it } from "vitest";
import { Tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { applyTransposedFromRight, blockReflector } from "./block-reflector.js";
import { householderReflector } from "./householder.js";
import { identity, naiveMatmul, randomMatrix } from "./test-matrices.js";

/** Reflectors as LAPACK stores them: row j of V^T is zero before index j, 1 at j; plus their taus. */
function randomReflectors(count: number, length: number, seed: number) {
  const source = randomMatrix(count, length, seed).data;
  const vTransposed = new Float64Array(count * length);
  const taus = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    const row = source.slice(j * length, (j + 1) * length);
    taus[j] = householderReflector(row, j, 1, length - j).tau;
    for (let p = j; p < length; p++) vTransposed[j * length + p] = row[p];
  }
  return { vTransposed, taus };
}

/** `I - tau v v^T` as a dense matrix. */
function reflectorMatrix(v: Float64Array, tau: number): Tensor<"float64"> {
  const n = v.length;
  const h = identity(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h.data[i * n + j] -= tau * v[i] * v[j];
  return h;
}

describe("block reflectors (compact WY)", () => {
  it.each([
    { count: 1, length: 4 },
    { count: 3, length: 7 },
    { count: 8, length: 8 },
  ])("I - V T V^T equals H_0 H_1 ... H_{b-1} ($count reflectors of length $length)", ({ count, length }) => {
    const { vTransposed, taus } = randomReflectors(count, length, count + length);
    let product = identity(length);
    for (let j = 0; j < count; j++) product = naiveMatmul(product, reflectorMatrix(vTransposed.subarray(j * length, (j + 1) * length), taus[j]));
    const { t } = blockReflector(vTransposed, length, count, taus);
    const v = new Tensor("float64", [count, length], vTransposed).transpose();
    const vtvt = naiveMatmul(naiveMatmul(v, new Tensor("float64", [count, count], t)), v.transpose());
    const compact = identity(length);
    for (let i = 0; i < compact.size; i++) compact.data[i] -= vtvt.data[i];
    assertAllClose(compact, product, { rtol: 0, atol: 1e-14 });
  });

  it("applies X <- X H_{b-1} ... H_0 to a block inside a larger array", () => {
    const count = 5;
    const length = 9;
    const rows = 6;
    const { vTransposed, taus } = randomReflectors(count, length, 3);
    const x = randomMatrix(rows, length, 4);
    let expected: Tensor<"float64"> = x;
    for (let j = count - 1; j >= 0; j--) expected = naiveMatmul(expected, reflectorMatrix(vTransposed.subarray(j * length, (j + 1) * length), taus[j]));
    // Embed X at offset (1, 1) of a (rows + 1) x (length + 2) array.
    const ld = length + 2;
    const data = new Float64Array((rows + 1) * ld);
    for (let i = 0; i < rows; i++) for (let j = 0; j < length; j++) data[(i + 1) * ld + 1 + j] = x.data[i * length + j];
    applyTransposedFromRight(blockReflector(vTransposed, length, count, taus), { data, offset: ld + 1, ld }, rows);
    const actual = new Float64Array(rows * length);
    for (let i = 0; i < rows; i++) for (let j = 0; j < length; j++) actual[i * length + j] = data[(i + 1) * ld + 1 + j];
    assertAllClose(actual, expected.data, { rtol: 0, atol: 1e-14 });
  });
});
