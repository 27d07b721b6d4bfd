import { DTypeError, Generator, ShapeError, ValueError, matmul, solve, tensor, type Tensor } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { DenseLinearOperator } from "../dense-linear-operator.js";
import { DiagonalLinearOperator } from "../diagonal-linear-operator.js";
import { CGInverseLinearOperator } from "./cg-inverse-linear-operator.js";
import { LSMRInverseLinearOperator } from "./lsmr-inverse-linear-operator.js";
import { NeumannInverseLinearOperator } from "./neumann-inverse-linear-operator.js";
import { CountingLinearOperator, spdMatrix } from "../testing/spectral-matrices.js";

const f64 = (x: number[] | number[][]) => tensor(x, { dtype: "float64" });

/** Relative error in the max norm, the check of "match a dense solve to 1e-8 relative". */
function relativeError(actual: Tensor, expected: Tensor): number {
  const a = actual.data as Float64Array;
  const e = expected.data as Float64Array;
  let err = 0;
  let scale = 0;
  for (let i = 0; i < e.length; i++) {
    err = Math.max(err, Math.abs(a[i] - e[i]));
    scale = Math.max(scale, Math.abs(e[i]));
  }
  return err / scale;
}

describe("CGInverseLinearOperator", () => {
  const n = 40;
  const a = spdMatrix(n, new Generator(0), 100);
  const b = new Generator(1).normal([n, 5], { dtype: "float64" });
  const dense = solve(a, b);

  it("matches a dense solve to 1e-8 relative (float64), in at most 2n iterations", async () => {
    const inverse = new CGInverseLinearOperator(new DenseLinearOperator(a), { tolerance: 1e-13 });
    expect(relativeError(await inverse.matmat(b), dense)).toBeLessThan(1e-8);
    expect(inverse.lastSolve?.status).toEqual(Array(5).fill("converged"));
    // Exact arithmetic needs n; rounding costs some more at this tolerance.
    expect(inverse.lastSolve?.iterations).toBeLessThanOrEqual(2 * n);
  });

  it("batched over K columns: equal to K single solves, with one operator product per iteration", async () => {
    const counted = new CountingLinearOperator(new DenseLinearOperator(a));
    const inverse = new CGInverseLinearOperator(counted, { tolerance: 1e-13 });
    const batched = await inverse.matmat(b);
    const batchedIterations = inverse.lastSolve?.iterations ?? 0;
    expect(counted.products).toBe(batchedIterations);
    let singleProducts = 0;
    for (let j = 0; j < 5; j++) {
      counted.products = 0;
      const single = await inverse.matvec(b.slice(null, j).reshape([n]));
      singleProducts += counted.products;
      const column = batched.slice(null, j).reshape([n]);
      expect(compare(column, single, { rtol: 1e-10, atol: 1e-12 }).ok).toBe(true);
    }
    expect(singleProducts).toBeGreaterThan(3 * batchedIterations);
  });

  it("with a preconditioner (here the exact inverse of the diagonal) converges in fewer iterations", async () => {
    const skewed = matmul(matmul(diag(Array.from({ length: n }, (_, i) => 1 + i * i)), a), diag(Array.from({ length: n }, (_, i) => 1 + i * i)));
    const op = new DenseLinearOperator(skewed);
    const plain = new CGInverseLinearOperator(op, { tolerance: 1e-12 });
    const jacobi = new DiagonalLinearOperator([f64(Array.from({ length: n }, (_, i) => 1 / skewed.get(i, i)))]);
    const preconditioned = new CGInverseLinearOperator(op, { tolerance: 1e-12, preconditioner: jacobi });
    const reference = solve(skewed, b);
    expect(relativeError(await preconditioned.matmat(b), reference)).toBeLessThan(1e-8);
    await plain.matmat(b);
    expect(preconditioned.lastSolve!.iterations).toBeLessThan(plain.lastSolve!.iterations);
  });

  it("records residuals, stops at maxIter without throwing, and freezes zero columns", async () => {
    const inverse = new CGInverseLinearOperator(new DenseLinearOperator(a), { maxIter: 3, tolerance: 1e-14 });
    const rhs = b.clone();
    for (let i = 0; i < n; i++) rhs.data[i * 5 + 2] = 0;
    const x = await inverse.matmat(rhs);
    const record = inverse.lastSolve!;
    expect(record.iterations).toBe(3);
    expect(record.residualNorms).toHaveLength(4);
    expect(record.status).toEqual(["max-iter", "max-iter", "converged", "max-iter", "max-iter"]);
    expect(x.slice(null, 2).toArray().every((v) => v === 0)).toBe(true);
  });

  it("solve(b, { x0 }) starts from x0: from the dense solution it converges at once; from any start it reaches it", async () => {
    const inverse = new CGInverseLinearOperator(new DenseLinearOperator(a), { tolerance: 1e-13 });
    const exact = await inverse.solve(b, { x0: dense });
    expect(inverse.lastSolve?.iterations).toBe(0);
    expect(relativeError(exact, dense)).toBeLessThan(1e-12);
    const start = new Generator(9).normal([n, 5], { dtype: "float64" });
    expect(relativeError(await inverse.solve(b, { x0: start }), dense)).toBeLessThan(1e-8);
    // The start's residual b - A x0 is the record's first entry.
    const r0 = matmul(a, start).data.map((v, i) => (b.data[i] as number) - v);
    const norm0 = Math.hypot(...Array.from({ length: n }, (_, i) => r0[i * 5]));
    const bNorm0 = Math.hypot(...Array.from({ length: n }, (_, i) => b.data[i * 5] as number));
    expect(inverse.lastSolve?.residualNorms[0][0]).toBeCloseTo(norm0 / bNorm0, 12);
    await expect(inverse.solve(b, { x0: start.reshape([5, n]) })).rejects.toThrow(/x0 must have b's shape/);
  });

  it("atol: a column stops once ‖r‖ <= max(tolerance ‖b‖, atol)", async () => {
    const absolute = new CGInverseLinearOperator(new DenseLinearOperator(a), { tolerance: 0, atol: 1e-3 });
    const x = await absolute.matmat(b);
    const record = absolute.lastSolve!;
    expect(record.status).toEqual(Array(5).fill("converged"));
    const residual = matmul(a, x).data.map((v, i) => (b.data[i] as number) - v);
    for (let j = 0; j < 5; j++) {
      const norm = Math.hypot(...Array.from({ length: n }, (_, i) => residual[i * 5 + j]));
      expect(norm).toBeLessThanOrEqual(1e-3 * (1 + 1e-9));
      // One iteration earlier it was above atol (the stop is the first iteration below).
      const before = record.residualNorms.findIndex((row) => row[j] * Math.hypot(...Array.from({ length: n }, (_, i) => b.data[i * 5 + j] as number)) <= 1e-3);
      expect(before).toBeGreaterThan(0);
    }
    // A loose atol stops before the relative tolerance would: fewer iterations.
    const relative = new CGInverseLinearOperator(new DenseLinearOperator(a), { tolerance: 1e-10 });
    await relative.matmat(b);
    expect(record.iterations).toBeLessThan(relative.lastSolve!.iterations);
    expect(() => new CGInverseLinearOperator(new DenseLinearOperator(a), { atol: -1 })).toThrow(/atol/);
  });

  it("rejects non-square operators, bad options and NaN products", async () => {
    const rect = new DenseLinearOperator(f64([[1, 2, 3], [4, 5, 6]]));
    expect(() => new CGInverseLinearOperator(rect)).toThrow(ShapeError);
    expect(() => new CGInverseLinearOperator(rect)).toThrow(/A must be square, got shape \[2, 3\]/);
    const op = new DenseLinearOperator(a);
    expect(() => new CGInverseLinearOperator(op, { maxIter: 0 })).toThrow(/maxIter/);
    expect(() => new CGInverseLinearOperator(op, { tolerance: -1 })).toThrow(/tolerance/);
    expect(() => new CGInverseLinearOperator(op, { preconditioner: rect as never })).toThrow(/preconditioner must have A's shape/);
    const f32 = new DenseLinearOperator(tensor([[1]], { dtype: "float32" }));
    expect(() => new CGInverseLinearOperator(new DenseLinearOperator(f64([[1]])), { preconditioner: f32 as never })).toThrow(DTypeError);
    const nan = new DenseLinearOperator(f64([[1, NaN], [NaN, 1]]));
    await expect(new CGInverseLinearOperator(nan).matvec(f64([1, 1]))).rejects.toThrow(/CGInverseLinearOperator: the product of A .* NaN/);
  });
});

describe("NeumannInverseLinearOperator", () => {
  const n = 20;
  // Eigenvalues in [0.5, 1.5]: (I - A) has spectral radius 0.5, so 60 terms give 2^-60.
  const a = spdMatrix(n, new Generator(2), 3, [0.5, 1.5]);
  const b = new Generator(3).normal([n, 3], { dtype: "float64" });

  it("matches a dense solve on a well-conditioned matrix", async () => {
    const inverse = new NeumannInverseLinearOperator(new DenseLinearOperator(a), { numTerms: 60 });
    expect(relativeError(await inverse.matmat(b), solve(a, b))).toBeLessThan(1e-8);
  });

  it("uses scale for a matrix with eigenvalues above 2, and a preconditioner", async () => {
    const big = new DenseLinearOperator(a).scale(4);
    const scaled = new NeumannInverseLinearOperator(big, { numTerms: 100, scale: 0.25 });
    const expected = solve(a, b);
    for (let i = 0; i < expected.data.length; i++) expected.data[i] /= 4;
    expect(relativeError(await scaled.matmat(b), expected)).toBeLessThan(1e-8);
    // P = (1/4) I makes PA = A.
    const preconditioner = new DiagonalLinearOperator([f64(Array(n).fill(0.25))]);
    const preconditioned = new NeumannInverseLinearOperator(big, { numTerms: 60, preconditioner });
    expect(relativeError(await preconditioned.matmat(b), expected)).toBeLessThan(1e-8);
  });

  it("raises a ValueError on a divergent series", async () => {
    const divergent = new NeumannInverseLinearOperator(new DenseLinearOperator(a).scale(10), { numTerms: 2000 });
    await expect(divergent.matmat(b)).rejects.toThrow(ValueError);
    await expect(divergent.matmat(b)).rejects.toThrow(/diverges .* try a smaller scale than 1/);
    expect(() => new NeumannInverseLinearOperator(new DenseLinearOperator(a), { numTerms: -1 })).toThrow(/numTerms/);
    expect(() => new NeumannInverseLinearOperator(new DenseLinearOperator(a), { scale: 0 })).toThrow(/scale/);
  });
});

describe("LSMRInverseLinearOperator", () => {
  const n = 30;
  const g = new Generator(4);
  const general = g.normal([n, n], { dtype: "float64" });
  for (let i = 0; i < n; i++) general.data[i * n + i] += 8;
  const b = g.normal([n, 4], { dtype: "float64" });

  it("matches a dense solve of a non-symmetric system to 1e-8 relative, and records each column", async () => {
    const inverse = new LSMRInverseLinearOperator(new DenseLinearOperator(general), { atol: 1e-14, btol: 1e-14, maxIter: 200 });
    expect(relativeError(await inverse.matmat(b), solve(general, b))).toBeLessThan(1e-8);
    expect(inverse.lastSolve).toHaveLength(4);
    for (const record of inverse.lastSolve!) {
      expect([1, 2, 4, 5]).toContain(record.stop);
      expect(record.iterations).toBeGreaterThan(0);
      expect(record.normr).toBeLessThan(1e-8);
    }
  });

  it("its batched columns equal single solves, and the adjoint solves with Aᵀ", async () => {
    const inverse = new LSMRInverseLinearOperator(new DenseLinearOperator(general), { atol: 1e-14, btol: 1e-14, maxIter: 200 });
    const batched = await inverse.matmat(b);
    const single = await inverse.matvec(b.slice(null, 1).reshape([n]));
    expect(compare(batched.slice(null, 1).reshape([n]), single, { rtol: 1e-12, atol: 1e-14 }).ok).toBe(true);
    const transposed = await inverse.adjoint().matmat(b);
    expect(relativeError(transposed, solve(general.transpose(), b))).toBeLessThan(1e-8);
  });

  it("stops with istop 7 at maxIter, returns x = 0 for b = 0, rejects bad options", async () => {
    const inverse = new LSMRInverseLinearOperator(new DenseLinearOperator(general), { maxIter: 2 });
    await inverse.matvec(f64(Array(n).fill(1)));
    expect(inverse.lastSolve![0]).toMatchObject({ stop: 7, iterations: 2 });
    const zero = await inverse.matvec(f64(Array(n).fill(0)));
    expect(zero.toArray().every((v) => v === 0)).toBe(true);
    expect(inverse.lastSolve![0].stop).toBe(0);
    expect(() => new LSMRInverseLinearOperator(new DenseLinearOperator(general), { atol: NaN })).toThrow(/atol/);
    expect(() => new LSMRInverseLinearOperator(new DenseLinearOperator(f64([[1, 2]])))).toThrow(/A must be square/);
  });
});

function diag(values: number[]): Tensor<"float64"> {
  const n = values.length;
  const out = tensor(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? values[i] : 0))), { dtype: "float64" });
  return out;
}
