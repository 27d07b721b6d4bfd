import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError } from "../../errors.js";
import { tensor, type Tensor } from "../../tensor.js";
import { assertAllClose } from "../../test/all-close.js";
import type { Dim, ValueType } from "../ir.js";
import { getOperator } from "./index.js";

const f64 = (...shape: Dim[]): ValueType => ({ dtype: "float64", shape });

/** A dense triple-loop product of two matrices, the independent reference. */
function product(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, x, k) => s + x * b[k][j], 0)));
}

const A = [[1, 2, 3], [4, 5, 6]];
const B = [[1, 0], [-1, 2], [0.5, 1]];
const t = (rows: number[][]): Tensor => tensor(rows, { dtype: "float64" });

describe("MatMul", () => {
  it.each<[Dim[], Dim[], Dim[]]>([
    [["batch", 3], [3, 2], ["batch", 2]],
    [[3], [3, 2], [2]],
    [["batch", 5, 3], [3], ["batch", 5]],
    [[3], [3], []],
    [[4, 1, 2, 3], ["n", 3, 5], [4, "n", 2, 5]],
    [["batch", "k"], [3, 2], ["batch", 2]],
  ])("%j @ %j -> %j", (a, b, expected) => {
    expect(getOperator("MatMul").inferTypes([f64(...a), f64(...b)])).toEqual([f64(...expected)]);
  });

  it("multiplies like the dense reference", () => {
    const [y] = getOperator("MatMul").evaluate([t(A), t(B)]);
    assertAllClose(y, t(product(A, B)));
  });

  it("rejects mismatched inner extents, scalars and integer operands", () => {
    const matmul = getOperator("MatMul");
    expect(() => matmul.inferTypes([f64("batch", 3), f64(4, 2)])).toThrow(ShapeError);
    expect(() => matmul.inferTypes([f64(), f64(2)])).toThrow("operands must have rank 1 or more");
    expect(() => matmul.inferTypes([{ dtype: "int32", shape: [2, 2] }, { dtype: "int32", shape: [2, 2] }])).toThrow(DTypeError);
  });
});

describe("Gemm", () => {
  it("computes alpha op(A) op(B) + beta C with transposes", () => {
    const gemm = getOperator("Gemm");
    const attributes = { alpha: 2, beta: 0.5, transA: 1, transB: 1 };
    const a = t(A).transpose();
    const b = t(B).transpose();
    const c = tensor([10, 20], { dtype: "float64" });
    expect(gemm.inferTypes([f64(3, "batch"), f64(2, 3), f64(2)], attributes)).toEqual([f64("batch", 2)]);
    const [y] = gemm.evaluate([a, b, c], attributes);
    const expected = product(A, B).map((row) => row.map((v, j) => 2 * v + 0.5 * [10, 20][j]));
    assertAllClose(y, t(expected));
  });

  it("defaults to alpha = beta = 1 without transposes, and C is optional", () => {
    const gemm = getOperator("Gemm");
    assertAllClose(gemm.evaluate([t(A), t(B)])[0], t(product(A, B)));
    expect(gemm.inferTypes([f64(2, 3), f64(3, 2)])).toEqual([f64(2, 2)]);
  });

  it.each<[Dim[], Dim[], Dim[] | undefined, string]>([
    [[2, 3], [4, 2], undefined, "inner extents differ"],
    [[2, 3, 1], [3, 2], undefined, "A and B must be matrices"],
    [[2, 3], [3, 2], [3], "C [3] does not broadcast to the output [2, 2]"],
  ])("rejects A %j, B %j, C %j", (a, b, c, message) => {
    const inputs = [f64(...a), f64(...b), ...(c ? [f64(...c)] : [])];
    expect(() => getOperator("Gemm").inferTypes(inputs)).toThrow(message);
  });
});
