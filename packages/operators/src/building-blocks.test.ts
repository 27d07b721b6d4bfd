// Every operator of OPERATOR_CASES against its dense matrix, in float64
// (tight) and float32 (loose): products in both formats, transposed products,
// materialization, the exact quantities and the damped inverses.
import { Generator, Tensor, det, inv, sizeOf, slogdet, type FloatDType, type Shape } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { isInvertible } from "./damped-inverse.js";
import { DTYPES, asFloat64, denseProduct, denseTranspose, expectClose, plusDiagonal, toleranceFor } from "./testing/dense-reference.js";
import { OPERATOR_CASES } from "./testing/operator-cases.js";

/** Cuts the rows of `[n, K]` (or `[n]`) into blocks shaped `shapes` (with a trailing K for matrices). */
function splitRows<D extends FloatDType>(x: Tensor<D>, shapes: readonly Shape[]): Tensor<D>[] {
  const k = x.ndim === 1 ? 1 : x.shape[1];
  let row = 0;
  return shapes.map((shape) => {
    const size = sizeOf(shape);
    const data = x.data.slice(row * k, (row + size) * k) as Tensor<D>["data"];
    row += size;
    return new Tensor(x.dtype, x.ndim === 1 ? shape : [...shape, k], data);
  });
}

function denseTrace(a: Tensor<FloatDType>): number {
  let s = 0;
  for (let i = 0; i < a.shape[0]; i++) s += a.data[i * a.shape[1] + i];
  return s;
}

function denseFrobenius(a: Tensor<FloatDType>): number {
  let s = 0;
  for (const v of a.data as Float64Array) s += v * v;
  return Math.sqrt(s);
}

const SQUARE_CASES = OPERATOR_CASES.filter((c) => {
  const { dense } = c.build("float64");
  return dense.shape[0] === dense.shape[1];
});
const INVERTIBLE_CASES = OPERATOR_CASES.filter((c) => c.dampings !== undefined);

describe.each(DTYPES)("%s", (dtype) => {
  const tol = toleranceFor(dtype);

  describe.each(OPERATOR_CASES)("$name", (c) => {
    it("has the dense matrix's shape and dtype, and toDense reproduces it", async () => {
      const { operator, dense } = c.build(dtype);
      expect(operator.shape).toEqual(dense.shape);
      expect(operator.dtype).toBe(dtype);
      const materialized = await operator.toDense({ chunkSize: 2 });
      expect(materialized.dtype).toBe(dtype);
      expectClose(materialized, dense, tol, "toDense");
    });

    it("matvec and matmat match the dense products, as tensors and in list format", async () => {
      const { operator, dense } = c.build(dtype);
      const [rows, cols] = operator.shape;
      const g = new Generator(100);
      const v = g.normal([cols], { dtype });
      const m = g.normal([cols, 3], { dtype });
      const av = denseProduct(dense, asFloat64(v).reshape([cols, 1])).reshape([rows]);
      const am = denseProduct(dense, asFloat64(m));

      expectClose(await operator.matvec(v), av, tol, "matvec");
      expectClose(await operator.matmat(m), am, tol, "matmat");

      const listV = await operator.matvec(splitRows(v, operator.inputShapes));
      expect(listV.map((t) => t.shape)).toEqual(operator.outputShapes);
      splitRows(av, operator.outputShapes).forEach((expected, i) => expectClose(listV[i], expected, tol, `matvec list block ${i}`));

      const listM = await operator.matmat(splitRows(m, operator.inputShapes));
      expect(listM.map((t) => t.shape)).toEqual(operator.outputShapes.map((s) => [...s, 3]));
      splitRows(am, operator.outputShapes).forEach((expected, i) => expectClose(listM[i], expected, tol, `matmat list block ${i}`));
    });

    it("rmatvec, rmatmat and adjoint() multiply with the transpose", async () => {
      const { operator, dense } = c.build(dtype);
      const [rows, cols] = operator.shape;
      const g = new Generator(101);
      const w = g.normal([rows], { dtype });
      const m = g.normal([rows, 2], { dtype });
      const at = denseTranspose(dense);
      expectClose(await operator.rmatvec(w), denseProduct(at, asFloat64(w).reshape([rows, 1])).reshape([cols]), tol, "rmatvec");
      expectClose(await operator.rmatmat(m), denseProduct(at, asFloat64(m)), tol, "rmatmat");
      const adjoint = operator.adjoint();
      expect(adjoint.shape).toEqual([cols, rows]);
      expect(adjoint.inputShapes).toEqual(operator.outputShapes);
      expectClose(await adjoint.toDense(), at, tol, "adjoint().toDense()");
      const listW = await operator.rmatvec(splitRows(w, operator.outputShapes));
      expect(listW.map((t) => t.shape)).toEqual(operator.inputShapes);
    });
  });

  describe.each(SQUARE_CASES)("$name", (c) => {
    it("trace, det, slogdet, logdet and frobeniusNorm match the dense matrix", async () => {
      const { operator, dense } = c.build(dtype);
      const expected = slogdet(dense);
      const logdet = expected.sign > 0 ? expected.logAbsDet : expected.sign < 0 ? NaN : -Infinity;
      expectClose(await operator.trace(), denseTrace(dense), { ...tol, atol: tol.atol * 10 }, "trace");
      expectClose(await operator.det(), det(dense), tol, "det");
      const s = await operator.slogdet();
      expect(s.sign).toBe(expected.sign);
      expectClose(s.logAbsDet, expected.logAbsDet, { ...tol, atol: tol.atol * 10 }, "slogdet");
      expectClose(await operator.logdet(), logdet, { ...tol, atol: tol.atol * 10 }, "logdet");
      expectClose(await operator.frobeniusNorm(), denseFrobenius(dense), tol, "frobeniusNorm");
    });
  });

  describe.each(INVERTIBLE_CASES)("$name", (c) => {
    it.each(c.dampings ?? [])("inverse(%s) matches inv(A + damping I)", async (damping) => {
      const { operator, dense } = c.build(dtype);
      expect(isInvertible(operator)).toBe(true);
      if (!isInvertible(operator)) return;
      const inverse = operator.inverse(damping);
      expect(inverse.dtype).toBe(dtype);
      const expected = inv(plusDiagonal(dense, damping));
      expectClose(await inverse.toDense(), expected, { rtol: tol.rtol * 10, atol: tol.atol * 10 }, `inverse(${damping})`);
      // And through products alone: (A + damping I)⁻¹ (A v + damping v) = v.
      const v = new Generator(102).normal([operator.shape[1]], { dtype });
      const av = await operator.matvec(v);
      const dampedV = new Tensor(dtype, v.shape);
      for (let i = 0; i < v.size; i++) dampedV.data[i] = av.data[i] + damping * v.data[i];
      expectClose(await inverse.matvec(dampedV), asFloat64(v), { rtol: tol.rtol * 10, atol: tol.atol * 100 }, "inverse round trip");
    });
  });
});
