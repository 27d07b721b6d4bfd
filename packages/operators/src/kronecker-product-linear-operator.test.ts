import { DTypeError, Generator, LinAlgError, ShapeError, Tensor, ValueError, inv, tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { EigendecomposedLinearOperator } from "./eigendecomposed-linear-operator.js";
import { KroneckerProductLinearOperator } from "./kronecker-product-linear-operator.js";
import { denseKron, denseProduct, expectClose, plusDiagonal, randomSpd } from "./testing/dense-reference.js";

const f64 = (x: number[][]) => tensor(x, { dtype: "float64" });

describe("KroneckerProductLinearOperator convention", () => {
  const a = f64([[1, 2, 3], [4, 5, 6]]); // [2, 3]
  const b = f64([[1, -1], [0, 2], [3, 1], [2, 0]]); // [4, 2]
  const x = f64([[1, 2], [3, 4], [5, 6]]); // [3, 2], the shape (A ⊗ B) acts on

  it("maps vec(X) of a row-major [n_A, n_B] matrix to vec(A X Bᵀ)", async () => {
    const k = new KroneckerProductLinearOperator(a, b);
    const axbt = denseProduct(denseProduct(a, x), b.transpose()); // [2, 4]
    expect(k.shape).toEqual([8, 6]);
    expect((await k.matvec(x.reshape([6]))).toArray()).toEqual(axbt.toArray());
  });

  it("has entry A_ik B_jl at row i·p + j and column k·q + l", async () => {
    const dense = await new KroneckerProductLinearOperator(a, b).toDense();
    for (const [i, j, k, l] of [[0, 0, 0, 0], [1, 3, 2, 1], [0, 2, 1, 0], [1, 1, 0, 1]]) {
      expect(dense.get(i * 4 + j, k * 2 + l)).toBe(a.get(i, k) * b.get(j, l));
    }
  });

  it("acts on a KFAC weight as G W Aᵀ when listed as one [out, in] block", async () => {
    const g = f64([[2, 1], [1, 3]]);
    const activations = f64([[1, 0, 2], [0, 1, 0], [2, 0, 5]]);
    const w = f64([[1, 2, 3], [4, 5, 6]]);
    const kfac = new KroneckerProductLinearOperator(g, activations);
    const gwa = denseProduct(denseProduct(g, w), activations.transpose());
    expect((await kfac.matvec(w.reshape([6]))).toArray()).toEqual(gwa.toArray());
  });

  it("is its own adjoint exactly when every factor is symmetric", () => {
    const symmetric = new KroneckerProductLinearOperator(f64([[2, 1], [1, 2]]), f64([[1]]));
    expect(symmetric.adjoint()).toBe(symmetric);
    const general = new KroneckerProductLinearOperator(f64([[2, 1], [1, 2]]), f64([[1, 2], [3, 4]]));
    expect(general.isSelfAdjoint).toBe(false);
    expect((general.adjoint() as KroneckerProductLinearOperator<"float64">).factors[1].toNested()).toEqual([[1, 3], [2, 4]]);
  });

  it("applies three factors as the nested Kronecker product", async () => {
    const gen = new Generator(1);
    const factors = [gen.normal([2, 3], { dtype: "float64" }), gen.normal([1, 2], { dtype: "float64" }), gen.normal([3, 2], { dtype: "float64" })];
    const k = new KroneckerProductLinearOperator(...factors);
    expect(k.shape).toEqual([6, 12]);
    expectClose(await k.toDense(), denseKron(denseKron(factors[0], factors[1]), factors[2]), { rtol: 1e-13, atol: 1e-14 });
  });

  it("gives logdet = n_B logdet A + n_A logdet B and the product of traces and norms", async () => {
    const spdA = f64([[2, 1], [1, 2]]); // det 3, trace 4, ‖·‖² = 10
    const spdB = f64([[4, 0, 0], [0, 1, 0], [0, 0, 2]]); // det 8, trace 7, ‖·‖² = 21
    const k = new KroneckerProductLinearOperator(spdA, spdB);
    expectClose(await k.logdet(), 3 * Math.log(3) + 2 * Math.log(8), { rtol: 1e-14, atol: 0 });
    expectClose(await k.det(), 3 ** 3 * 8 ** 2, { rtol: 1e-13, atol: 0 });
    expect(await k.trace()).toBe(28);
    expectClose(await k.frobeniusNorm(), Math.sqrt(210), { rtol: 1e-14, atol: 0 });
  });

  it("keeps the sign of det when a factor's determinant is negative", async () => {
    const flip = f64([[0, 1], [1, 0]]); // det -1
    const odd = new KroneckerProductLinearOperator(flip, f64([[2]])); // det (-1)^1 · 2^2
    const even = new KroneckerProductLinearOperator(flip, f64([[1, 0], [0, 3]])); // det (-1)^2 · 3^2
    expect(await odd.slogdet()).toEqual({ sign: -1, logAbsDet: expect.closeTo(Math.log(4), 14) });
    expect(await odd.logdet()).toBeNaN();
    expect(await even.slogdet()).toEqual({ sign: 1, logAbsDet: expect.closeTo(Math.log(9), 14) });
  });
});

describe("KroneckerProductLinearOperator inverse", () => {
  const gen = new Generator(2);
  const [a, b] = [randomSpd(gen, 3, "float64"), randomSpd(gen, 2, "float64")];
  const k = new KroneckerProductLinearOperator(a, b);

  it("without damping is the Kronecker product of the factor inverses", () => {
    const inverse = k.inverse();
    expect(inverse).toBeInstanceOf(KroneckerProductLinearOperator);
    const factors = (inverse as KroneckerProductLinearOperator<"float64">).factors;
    expectClose(factors[0], inv(a), { rtol: 1e-14, atol: 1e-15 });
    expectClose(factors[1], inv(b), { rtol: 1e-14, atol: 1e-15 });
  });

  it("with damping is exact, not the product of damped factor inverses", async () => {
    const damping = 0.5;
    const inverse = k.inverse(damping);
    expect(inverse).toBeInstanceOf(EigendecomposedLinearOperator);
    const eigenvectors = (inverse as EigendecomposedLinearOperator<"float64">).eigenvectors;
    expect(eigenvectors).toBeInstanceOf(KroneckerProductLinearOperator);
    const exact = inv(plusDiagonal(denseKron(a, b), damping));
    expectClose(await inverse.toDense(), exact, { rtol: 1e-12, atol: 1e-14 });
    const perFactor = denseKron(inv(plusDiagonal(a, damping)), inv(plusDiagonal(b, damping)));
    expect(Math.max(...exact.toArray().map((v, i) => Math.abs(v - perFactor.data[i])))).toBeGreaterThan(1e-3);
  });

  it("per-factor damping inverts each damped factor (KFAC's approximation)", async () => {
    const inverse = k.inverse(0.5, { damping: "per-factor" });
    const expected = denseKron(inv(plusDiagonal(a, 0.5)), inv(plusDiagonal(b, 0.5)));
    expectClose(await inverse.toDense(), expected, { rtol: 1e-13, atol: 1e-15 });
  });

  it("heuristic damping balances the factors by their mean eigenvalues (Martens & Grosse 2015, 6.3)", async () => {
    const g = f64([[4, 1], [1, 2]]); // mean eigenvalue 3
    const act = f64([[1, 0, 0], [0, 1, 0], [0, 0, 10]]); // mean eigenvalue 4
    const pi = Math.sqrt(4 / 3);
    const [dg, da] = [Math.sqrt(0.09) / pi, Math.sqrt(0.09) * pi];
    const inverse = new KroneckerProductLinearOperator(g, act).inverse(0.09, { damping: "heuristic" });
    expectClose(await inverse.toDense(), denseKron(inv(plusDiagonal(g, dg)), inv(plusDiagonal(act, da))), { rtol: 1e-13, atol: 1e-15 });
    const floored = new KroneckerProductLinearOperator(g, act).inverse(0, { damping: "heuristic", minDamping: 0.25 });
    expectClose(await floored.toDense(), denseKron(inv(plusDiagonal(g, 0.25)), inv(plusDiagonal(act, 0.25))), { rtol: 1e-13, atol: 1e-15 });
    const single = new KroneckerProductLinearOperator(g).inverse(0.01, { damping: "heuristic", minDamping: 0.5 });
    expectClose(await single.toDense(), inv(plusDiagonal(g, 0.5)), { rtol: 1e-13, atol: 1e-15 });
  });

  const errors: [string, () => unknown, new (...args: never[]) => Error, RegExp][] = [
    ["a singular factor without damping", () => new KroneckerProductLinearOperator(f64([[1, 2], [2, 4]]), f64([[1]])).inverse(), LinAlgError, /factor 0 is singular/],
    [
      "damping that cancels an eigenvalue product (λ = 1·1, 1·3, 2·1, 2·3; damping -2)",
      () => new KroneckerProductLinearOperator(f64([[1, 0], [0, 2]]), f64([[1, 0], [0, 3]])).inverse(-2),
      LinAlgError,
      /eigenvalue 2 \+ damping = 2 \+ -2 is zero to working precision/,
    ],
    ["damping with a nonsymmetric factor", () => new KroneckerProductLinearOperator(f64([[1, 2], [0, 1]]), f64([[1]])).inverse(0.1), ValueError, /eigh/],
    ["a rectangular factor", () => new KroneckerProductLinearOperator(f64([[1, 2]]), f64([[1]])).inverse(), ShapeError, /needs square factors, factor 0 has shape \[1, 2\]/],
    ["NaN damping", () => k.inverse(NaN), ValueError, /damping must be a finite number, got NaN/],
    ["an unknown damping mode", () => k.inverse(0.1, { damping: "exactly" as never }), ValueError, /options\.damping must be one of exact, per-factor, heuristic, got exactly/],
    [
      "per-factor damping that makes a factor singular",
      () => new KroneckerProductLinearOperator(f64([[2]]), f64([[1, 0], [0, 3]])).inverse(-1, { damping: "per-factor" }),
      LinAlgError,
      /factor 1 \+ -1·I is singular/,
    ],
    ["heuristic damping of three factors", () => new KroneckerProductLinearOperator(a, b, b).inverse(0.1, { damping: "heuristic" }), ValueError, /at most two factors, got 3/],
    ["heuristic damping with negative damping", () => k.inverse(-0.1, { damping: "heuristic" }), ValueError, /needs damping >= 0, got -0\.1/],
    ["heuristic damping with a negative-mean factor", () => new KroneckerProductLinearOperator(f64([[-1]]), b).inverse(0.1, { damping: "heuristic" }), ValueError, /factor 0 has -1/],
    ["a negative minDamping", () => k.inverse(0.1, { damping: "heuristic", minDamping: -1 }), ValueError, /minDamping must be a finite non-negative number/],
  ];
  it.each(errors)("throws for %s", (_, call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });
});

describe("KroneckerProductLinearOperator construction", () => {
  const errors: [string, () => unknown, new (...args: never[]) => Error, RegExp][] = [
    ["no factors", () => new KroneckerProductLinearOperator(), ValueError, /at least one factor/],
    ["a vector factor", () => new KroneckerProductLinearOperator(f64([[1]]), tensor([1, 2], { dtype: "float64" })), ShapeError, /factor 1 must be a 2-D matrix, got shape \[2\]/],
    ["mixed dtypes", () => new KroneckerProductLinearOperator<"float64">(f64([[1]]), tensor([[1]]) as never), DTypeError, /factor 1 is float32 but factor 0 is float64/],
    ["an integer factor", () => new KroneckerProductLinearOperator(new Tensor("int32", [1, 1]) as never), DTypeError, /factor 0 must be float32 or float64, got int32/],
  ];
  it.each(errors)("rejects %s", (_, build, type, message) => {
    expect(build).toThrow(type);
    expect(build).toThrow(message);
  });

  it("refuses trace and determinants with rectangular factors", async () => {
    const k = new KroneckerProductLinearOperator(f64([[1, 2]]), f64([[1], [2]])); // 2 x 2 overall
    await expect(k.trace()).rejects.toThrow(/needs square factors, factor 0 has shape \[1, 2\]/);
    await expect(k.logdet()).rejects.toThrow(ShapeError);
  });
});
