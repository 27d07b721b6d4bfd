import { describe, expect, it } from "vitest";
import { Tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { completeOrthonormalColumns } from "./orthonormal-completion.js";
import { identity, naiveMatmul, naiveTranspose, randomOrthogonal } from "./test-matrices.js";

describe("completeOrthonormalColumns", () => {
  it.each([
    { name: "two of four unknown, in the middle", rows: 6, known: [true, false, true, false] },
    { name: "all unknown", rows: 3, known: [false, false, false] },
    { name: "square, one unknown", rows: 4, known: [true, true, false, true] },
    { name: "none unknown", rows: 3, known: [true, true] },
  ])("fills unknown columns so that U^T U = I and keeps known ones: $name", ({ rows, known }) => {
    const cols = known.length;
    const q = randomOrthogonal(rows, 5);
    const u = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) u[i * cols + j] = known[j] ? q.data[i * rows + j] : 0;
    const before = u.slice();
    completeOrthonormalColumns(u, rows, cols, known);
    const result = new Tensor("float64", [rows, cols], u);
    assertAllClose(naiveMatmul(naiveTranspose(result), result), identity(cols), { rtol: 0, atol: 1e-14 });
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) if (known[j]) expect(u[i * cols + j]).toBe(before[i * cols + j]);
  });
});
