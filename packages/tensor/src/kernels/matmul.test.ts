import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { Generator } from "../random.js";
import { tensor, zeros, type Tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { gemm, gemmInto, matmul } from "./matmul.js";

/** Naive triple loop on row-major matrices given as element getters. */
function naiveProduct(m: number, n: number, k: number, A: (i: number, p: number) => number, B: (p: number, j: number) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A(i, p) * B(p, j);
      out.push(s);
    }
  }
  return out;
}

const tolerances = { float32: { rtol: 1e-6, atol: 1e-6 }, float64: { rtol: 1e-12, atol: 1e-12 } } as const;

describe("gemmInto", () => {
  // Sizes cross the k tile (128) and the n panel (256), and leave odd row counts.
  it.each([
    { m: 5, n: 300, k: 260, transA: false, transB: false },
    { m: 4, n: 7, k: 129, transA: true, transB: false },
    { m: 3, n: 257, k: 5, transA: false, transB: true },
    { m: 6, n: 9, k: 3, transA: true, transB: true },
    { m: 1, n: 1, k: 1, transA: false, transB: false },
    { m: 3, n: 4, k: 0, transA: false, transB: false },
  ])("m $m, n $n, k $k, transA $transA, transB $transB, with offsets and row padding", ({ m, n, k, transA, transB }) => {
    const g = new Generator(m * 1000 + n + k);
    // Store A (or A^T) and B (or B^T) with a leading offset and a padded leading dimension.
    const [aRows, aCols] = transA ? [k, m] : [m, k];
    const [bRows, bCols] = transB ? [n, k] : [k, n];
    const lda = aCols + 2;
    const ldb = bCols + 3;
    const a = g.uniform([3 + aRows * lda], { low: -1, high: 1, dtype: "float64" }).data;
    const b = g.uniform([1 + bRows * ldb], { low: -1, high: 1, dtype: "float32" }).data;
    const A = (i: number, p: number) => (transA ? a[3 + p * lda + i] : a[3 + i * lda + p]);
    const B = (p: number, j: number) => (transB ? b[1 + j * ldb + p] : b[1 + p * ldb + j]);
    const [aRowStride, aColStride] = transA ? [1, lda] : [lda, 1];
    const [bRowStride, bColStride] = transB ? [1, ldb] : [ldb, 1];
    const ldc = n + 1;
    const c0 = g.uniform([2 + m * ldc], { dtype: "float64" }).data;
    const expected = naiveProduct(m, n, k, A, B);

    const c = c0.slice();
    gemmInto(m, n, k, a, 3, aRowStride, aColStride, b, 1, bRowStride, bColStride, c, 2, ldc);
    const read = (arr: ArrayLike<number>) => Array.from({ length: m * n }, (_, t) => arr[2 + Math.floor(t / n) * ldc + (t % n)]);
    assertAllClose(read(c), expected, tolerances.float64, "overwrite");
    expect(c[0]).toBe(c0[0]); // padding outside the view is untouched
    expect(c[2 + n]).toBe(c0[2 + n]);

    const acc = c0.slice();
    gemmInto(m, n, k, a, 3, aRowStride, aColStride, b, 1, bRowStride, bColStride, acc, 2, ldc, true, -0.5);
    assertAllClose(read(acc), read(c0).map((v, t) => v - 0.5 * expected[t]), tolerances.float64, "accumulate");
  });
  it("rounds each entry once into a float32 C", () => {
    const a = Float32Array.of(1, 1e-8, 1);
    const b = Float32Array.of(1, 1, -1);
    const c = new Float32Array(1);
    gemmInto(1, 1, 3, a, 0, 3, 1, b, 0, 1, 1, c, 0, 1);
    // In float32 step by step, 1 + 1e-8 rounds back to 1 and the result is 0.
    expect(c[0]).toBe(Math.fround(1e-8));
  });
  it("rejects negative sizes, fractional strides and views that leave the arrays", () => {
    const x = new Float64Array(6);
    expect(() => gemmInto(-1, 2, 3, x, 0, 3, 1, x, 0, 2, 1, x, 0, 2)).toThrow(ValueError);
    expect(() => gemmInto(2, 2, 3, x, 0, 3.5, 1, x, 0, 2, 1, new Float64Array(4), 0, 2)).toThrow(/strides of a must be integers/);
    expect(() => gemmInto(2, 2, 3, x, 1, 3, 1, x, 0, 2, 1, new Float64Array(4), 0, 2)).toThrow(ShapeError);
    expect(() => gemmInto(2, 2, 3, x, 0, 3, 1, x, 0, 2, 1, new Float64Array(3), 0, 2)).toThrow(/reaches elements 0\.\.3, but c has 3/);
  });
});

describe("matmul", () => {
  /** Reference: loop over broadcast batch indices, naive product per matrix. */
  function naiveMatmul(a: Tensor, b: Tensor): { shape: number[]; values: number[] } {
    const a2 = a.ndim === 1 ? a.reshape([1, a.shape[0]]) : a;
    const b2 = b.ndim === 1 ? b.reshape([b.shape[0], 1]) : b;
    const [m, k] = a2.shape.slice(-2);
    const n = b2.shape[b2.ndim - 1];
    const ba = a2.shape.slice(0, -2);
    const bb = b2.shape.slice(0, -2);
    const rank = Math.max(ba.length, bb.length);
    const pa = [...new Array<number>(rank - ba.length).fill(1), ...ba];
    const pb = [...new Array<number>(rank - bb.length).fill(1), ...bb];
    const batch = pa.map((d, i) => (d === 1 ? pb[i] : d));
    const values: number[] = [];
    const count = batch.reduce((p, d) => p * d, 1);
    for (let t = 0; t < count; t++) {
      let rest = t;
      let oa = 0;
      let ob = 0;
      const idx = new Array<number>(rank);
      for (let ax = rank - 1; ax >= 0; ax--) {
        idx[ax] = rest % batch[ax];
        rest = Math.floor(rest / batch[ax]);
      }
      for (let ax = 0; ax < rank; ax++) {
        oa = oa * pa[ax] + (idx[ax] % pa[ax]);
        ob = ob * pb[ax] + (idx[ax] % pb[ax]);
      }
      values.push(...naiveProduct(m, n, k, (i, p) => a.data[oa * m * k + i * k + p] as number, (p, j) => b.data[ob * k * n + p * n + j] as number));
    }
    const shape = [...batch, ...(a.ndim === 1 ? [] : [m]), ...(b.ndim === 1 ? [] : [n])];
    return { shape, values };
  }

  for (const dtype of ["float32", "float64"] as const) {
    it.each([
      [[2, 3], [3, 4]],
      [[3], [3, 4]],
      [[2, 3], [3]],
      [[3], [3]],
      [[5, 2, 3], [3, 4]],
      [[2, 3], [4, 3, 5]],
      [[2, 1, 2, 3], [3, 3, 4]],
      [[1, 2, 3], [4, 3, 2]],
      [[4], [2, 4, 3]],
      [[0, 3], [3, 2]],
      [[2, 0], [0, 3]],
      [[0, 2, 3], [3, 1]],
    ])(`${dtype} %j @ %j`, (shapeA, shapeB) => {
      const g = new Generator(shapeA.length + 7 * shapeB.length);
      const a = g.normal(shapeA, { dtype });
      const b = g.normal(shapeB, { dtype });
      const y = matmul(a, b);
      const expected = naiveMatmul(a, b);
      expect(y.dtype).toBe(dtype);
      expect(y.shape).toEqual(expected.shape);
      assertAllClose(y.data as Float64Array, expected.values, tolerances[dtype]);
    });
  }
  it("computes a hand-checked product", () => {
    expect(matmul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]])).toNested()).toEqual([[19, 22], [43, 50]]);
  });
  it("rejects scalars, mismatched inner sizes, batch axes that do not broadcast, ints and mixed dtypes", () => {
    expect(() => matmul(tensor(1), tensor([1]))).toThrow(/matmul: operands must have rank >= 1/);
    expect(() => matmul(zeros([2, 3]), zeros([2, 3]))).toThrow(/matmul: a \[2, 3\] has 3 columns but b \[2, 3\] has 2 rows/);
    expect(() => matmul(zeros([2, 2, 3]), zeros([3, 3, 1]))).toThrow(ShapeError);
    expect(() => matmul(tensor([1], { dtype: "int32" }) as never, tensor([1], { dtype: "int32" }) as never)).toThrow(/matmul: argument a: expected dtype float32 or float64, got int32/);
    expect(() => matmul(zeros([2]), zeros([2], "float64") as never)).toThrow(DTypeError);
  });
});

describe("gemm", () => {
  const m = 3;
  const n = 4;
  const k = 5;
  for (const dtype of ["float32", "float64"] as const) {
    it.each([
      { transA: false, transB: false, cShape: [m, n], alpha: 1, beta: 1 },
      { transA: true, transB: false, cShape: [n], alpha: 0.5, beta: 2 },
      { transA: false, transB: true, cShape: [1, n], alpha: -1, beta: 1 },
      { transA: true, transB: true, cShape: [m, 1], alpha: 2, beta: -0.5 },
      { transA: false, transB: true, cShape: [], alpha: 1, beta: 3 },
      { transA: false, transB: false, cShape: undefined, alpha: 1.5, beta: 1 },
    ])(`${dtype}: transA $transA, transB $transB, c $cShape, alpha $alpha, beta $beta`, ({ transA, transB, cShape, alpha, beta }) => {
      const g = new Generator(42);
      const a = g.normal(transA ? [k, m] : [m, k], { dtype });
      const b = g.normal(transB ? [n, k] : [k, n], { dtype });
      const c = cShape ? g.normal(cShape, { dtype }) : undefined;
      const y = gemm(a, b, c, { alpha, beta, transA, transB });
      const A = (i: number, p: number) => (transA ? a.get(p, i) : a.get(i, p));
      const B = (p: number, j: number) => (transB ? b.get(j, p) : b.get(p, j));
      const C = (i: number, j: number) => {
        if (!c) return 0;
        const rank = c.ndim;
        const idx = [i, j].slice(2 - rank).map((v, ax) => (c.shape[ax] === 1 ? 0 : v));
        return c.get(...idx);
      };
      const ab = naiveProduct(m, n, k, A, B);
      const expected = ab.map((v, t) => alpha * v + beta * C(Math.floor(t / n), t % n));
      expect(y.shape).toEqual([m, n]);
      expect(y.dtype).toBe(dtype);
      assertAllClose(y.data as Float64Array, expected, tolerances[dtype]);
    });
  }
  it("ignores c when beta is 0, as BLAS does", () => {
    const y = gemm(tensor([[1, 2]]), tensor([[3], [4]]), tensor([[NaN]]), { beta: 0 });
    expect(y.toNested()).toEqual([[11]]);
  });
  it("rejects non-2-D operands, mismatched sizes and a c that does not broadcast", () => {
    expect(() => gemm(zeros([3]), zeros([3, 2]))).toThrow(/gemm: argument a must be 2-D, got shape \[3\]/);
    expect(() => gemm(zeros([2, 3]), zeros([2, 3]))).toThrow(/op\(a\) is 2 x 3 .* but op\(b\) is 2 x 3/);
    expect(() => gemm(zeros([2, 3]), zeros([2, 3]), undefined, { transB: true })).not.toThrow();
    expect(() => gemm(zeros([2, 3]), zeros([3, 4]), zeros([3]))).toThrow(/argument c with shape \[3\] does not broadcast to \[2, 4\]/);
    expect(() => gemm(zeros([2, 3]), zeros([3, 4]), zeros([1, 2, 4]))).toThrow(ShapeError);
    expect(() => gemm(zeros([2, 3]), zeros([3, 4]), zeros([4], "float64") as never)).toThrow(DTypeError);
  });
});
