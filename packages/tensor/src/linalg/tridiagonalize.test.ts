import { describe, expect, it } from "vitest";
import { Tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { formQTransposed, multiplyByQTransposed, tridiagonalize } from "./tridiagonalize.js";
import { identity, naiveMatmul, naiveTranspose, randomMatrix, randomSymmetric } from "./test-matrices.js";

/** The `n x n` tridiagonal matrix with the given bands. */
function tridiagonalMatrix(diagonal: Float64Array, offDiagonal: Float64Array): Tensor<"float64"> {
  const n = diagonal.length;
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = diagonal[i];
  for (let i = 0; i + 1 < n; i++) data[i * n + i + 1] = data[(i + 1) * n + i] = offDiagonal[i];
  return new Tensor("float64", [n, n], data);
}

describe("tridiagonalize", () => {
  it.each([1, 2, 3, 10, 33, 70])("reduces a random symmetric %i x %i matrix: A = Q T Q^T, Q orthogonal", (n) => {
    const a = randomSymmetric(n, n);
    const reduction = tridiagonalize(a.data.slice(), n);
    const qTransposed = new Tensor("float64", [n, n], formQTransposed(reduction));
    const q = naiveTranspose(qTransposed);
    const t = tridiagonalMatrix(reduction.diagonal, reduction.offDiagonal);
    assertAllClose(naiveMatmul(naiveMatmul(q, t), qTransposed), a, { rtol: 0, atol: 1e-14 * n }, "Q T Q^T");
    assertAllClose(naiveMatmul(qTransposed, q), identity(n), { rtol: 0, atol: 1e-14 * n }, "Q^T Q");
  });

  it.each([3, 40, 70])("multiplyByQTransposed(X) equals X times the formed Q^T, n = %i", (n) => {
    const reduction = tridiagonalize(randomSymmetric(n, 2 * n).data.slice(), n);
    const rows = 5;
    const x = randomMatrix(rows, n, 3);
    const expected = naiveMatmul(x, new Tensor("float64", [n, n], formQTransposed(reduction)));
    const product = x.data.slice();
    multiplyByQTransposed(reduction, product, rows);
    assertAllClose(new Tensor("float64", [rows, n], product), expected, { rtol: 0, atol: 1e-14 * n });
  });

  it("leaves a tridiagonal matrix as it is, up to signs", () => {
    const n = 6;
    const diagonal = Float64Array.of(1, 2, 3, 4, 5, 6);
    const offDiagonal = Float64Array.of(0.5, -1, 2, 0.25, 3);
    const reduction = tridiagonalize(tridiagonalMatrix(diagonal, offDiagonal).data.slice(), n);
    expect(Array.from(reduction.diagonal)).toEqual(Array.from(diagonal));
    reduction.offDiagonal.forEach((e, i) => expect(Math.abs(e)).toBeCloseTo(Math.abs(offDiagonal[i]), 15));
  });
});
