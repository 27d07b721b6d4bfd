import { describe, expect, it } from "vitest";
import type { FloatDType } from "../dtype.js";
import { DTypeError } from "../errors.js";
import { Generator } from "../random.js";
import { tensor, type Tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import {
  abs, ceil, erf, exp, floor, log, logicalNot, neg, reciprocal, relu, sigmoid, sign, softplus, sqrt, tanh,
} from "./elementwise-unary.js";

// Each float kernel against a reference formula that differs from the one the
// kernel uses (an identity or a different route to the same number).
const floatCases: { name: string; kernel: (x: Tensor<FloatDType>) => Tensor; reference: (x: number) => number; low: number; high: number }[] = [
  { name: "neg", kernel: neg, reference: (x) => 0 - x, low: -3, high: 3 },
  { name: "abs", kernel: abs, reference: (x) => (x < 0 ? -x : x), low: -3, high: 3 },
  { name: "exp", kernel: exp, reference: (x) => Math.E ** x, low: -3, high: 3 },
  { name: "log", kernel: log, reference: (x) => Math.log2(x) * Math.LN2, low: 0.1, high: 5 },
  { name: "sqrt", kernel: sqrt, reference: (x) => x ** 0.5, low: 0, high: 5 },
  { name: "reciprocal", kernel: reciprocal, reference: (x) => x ** -1, low: 0.5, high: 3 },
  { name: "relu", kernel: relu, reference: (x) => (x > 0 ? x : 0), low: -3, high: 3 },
  { name: "sigmoid", kernel: sigmoid, reference: (x) => (1 + Math.tanh(x / 2)) / 2, low: -3, high: 3 },
  { name: "tanh", kernel: tanh, reference: (x) => Math.expm1(2 * x) / (Math.expm1(2 * x) + 2), low: -3, high: 3 },
  { name: "sign", kernel: sign, reference: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), low: -3, high: 3 },
  { name: "floor", kernel: floor, reference: (x) => Math.trunc(x) - (x < Math.trunc(x) ? 1 : 0), low: -5, high: 5 },
  { name: "ceil", kernel: ceil, reference: (x) => Math.trunc(x) + (x > Math.trunc(x) ? 1 : 0), low: -5, high: 5 },
  { name: "softplus", kernel: softplus, reference: (x) => Math.log(1 + Math.exp(x)), low: -5, high: 5 },
];

const tolerances = { float32: { rtol: 1e-6, atol: 1e-7 }, float64: { rtol: 1e-12, atol: 1e-14 } } as const;

describe("float unary kernels", () => {
  for (const dtype of ["float32", "float64"] as const) {
    it.each(floatCases)(`$name (${dtype}) matches its reference and keeps dtype and shape`, ({ name, kernel, reference, low, high }) => {
      const x = new Generator(7).uniform([2, 3, 4], { low, high, dtype });
      const before = x.clone();
      const y = kernel(x);
      expect(y.dtype).toBe(dtype);
      expect(y.shape).toEqual([2, 3, 4]);
      const expected = tensor(Array.from(x.data as Float64Array, reference), { dtype, shape: x.shape });
      assertAllClose(y, expected, tolerances[dtype], name);
      expect(x.data).toEqual(before.data); // inputs are never mutated
    });
  }

  it("sigmoid and softplus stay finite and exact where the naive formulas overflow or round to 0", () => {
    const x = tensor([-1000, -745, -50, 50, 1000], { dtype: "float64" });
    // sigmoid(x) = e^x / (1 + e^x) ~ e^x for x << 0 and 1 - e^-x for x >> 0.
    assertAllClose(sigmoid(x), [0, Math.exp(-745), Math.exp(-50) / (1 + Math.exp(-50)), 1, 1], { rtol: 1e-15, atol: 0 });
    // softplus(x) = log1p(e^x) ~ e^x for x << 0, and x + e^-x for x >> 0.
    assertAllClose(softplus(x), [0, Math.exp(-745), Math.exp(-50), 50 + Math.exp(-50), 1000], { rtol: 1e-15, atol: 0 });
  });

  it("keeps NaN and the C conventions at special values", () => {
    const x = tensor([NaN, -0, Infinity, -Infinity], { dtype: "float64" });
    expect(relu(x).toArray()).toEqual([NaN, 0, Infinity, 0]);
    expect(sign(x).toArray()).toEqual([NaN, -0, 1, -1]);
    expect(sigmoid(x).toArray()).toEqual([NaN, 0.5, 1, 0]);
    expect(softplus(x).toArray()).toEqual([NaN, Math.LN2, Infinity, 0]);
    expect(erf(x).toArray()).toEqual([NaN, -0, 1, -1]);
    expect(log(tensor([0, -1], { dtype: "float64" })).toArray()).toEqual([-Infinity, NaN]);
  });
});

describe("erf", () => {
  // erf(x) = 2/sqrt(pi) * integral_0^x e^(-t^2) dt by composite Simpson with 2000 panels
  // (error ~ h^4, below 1e-14 for |x| <= 4).
  const simpsonErf = (x: number): number => {
    const n = 2000;
    const h = x / n;
    let s = 1 + Math.exp(-x * x);
    for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * Math.exp(-((i * h) ** 2));
    return ((s * h) / 3) * (2 / Math.sqrt(Math.PI));
  };
  const points = [-4, -2.6, -2.5, -2.49, -1, -0.3, 1e-3, 0.2, 0.9, 1.7, 2.4, 2.5, 2.51, 3.3, 4];

  it("matches Simpson quadrature of its defining integral (float64)", () => {
    const x = tensor(points, { dtype: "float64" });
    assertAllClose(erf(x), points.map(simpsonErf), { rtol: 1e-13, atol: 1e-15 });
  });
  it.each([
    // Published values (Abramowitz & Stegun table 7.1, to 16 digits).
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [2, 0.9953222650189527],
    [3, 0.9999779095030014],
  ])("erf(%d) = %d", (x, expected) => {
    assertAllClose(erf(tensor([x, -x], { dtype: "float64" })), [expected, -expected], { rtol: 4e-16, atol: 0 });
    assertAllClose(erf(tensor([x])), [Math.fround(expected)], { rtol: 1e-7, atol: 0 });
  });
  it("is odd and saturates at +-1 beyond 6", () => {
    expect(erf(tensor([6, -6, 30], { dtype: "float64" })).toArray()).toEqual([1, -1, 1]);
    assertAllClose(erf(tensor([1e-300], { dtype: "float64" })), [(2 / Math.sqrt(Math.PI)) * 1e-300], { rtol: 1e-15, atol: 0 });
  });
});

describe("integer and bool unary kernels", () => {
  it.each([
    ["neg", neg, [5, -3, 0, -2147483648], [-5, 3, 0, -2147483648]],
    ["abs", abs, [5, -3, 0, -2147483648], [5, 3, 0, -2147483648]],
    ["relu", relu, [5, -3, 0, 7], [5, 0, 0, 7]],
    ["sign", sign, [5, -3, 0, -2147483648], [1, -1, 0, -1]],
  ] as const)("%s on int32 wraps like C", (_, kernel, input, expected) => {
    const y = kernel(tensor([...input], { dtype: "int32" }));
    expect(y.dtype).toBe("int32");
    expect(y.toArray()).toEqual(expected);
  });
  it.each([
    ["neg", neg, [5n, -3n, 0n, -(2n ** 63n)], [-5n, 3n, 0n, -(2n ** 63n)]],
    ["abs", abs, [5n, -3n, 0n, 2n ** 62n], [5n, 3n, 0n, 2n ** 62n]],
    ["relu", relu, [5n, -3n, 0n, 2n ** 62n], [5n, 0n, 0n, 2n ** 62n]],
    ["sign", sign, [5n, -3n, 0n, -(2n ** 62n)], [1n, -1n, 0n, -1n]],
  ] as const)("%s on int64 works on bigints", (_, kernel, input, expected) => {
    const y = kernel(tensor([...input], { dtype: "int64" }));
    expect(y.dtype).toBe("int64");
    expect(y.toNested()).toEqual(expected);
  });
  it("logicalNot negates bools", () => {
    expect(logicalNot(tensor([[true, false], [false, false]])).toNested()).toEqual([[false, true], [true, true]]);
  });
  it("rejects dtypes the ONNX operator does not define, naming kernel and argument", () => {
    expect(() => exp(tensor([1], { dtype: "int32" }) as never)).toThrow(DTypeError);
    expect(() => exp(tensor([1], { dtype: "int32" }) as never)).toThrow(/exp: argument x: expected dtype float32 or float64, got int32/);
    expect(() => neg(tensor([true]) as never)).toThrow(/neg: .*got bool/);
    expect(() => logicalNot(tensor([1]) as never)).toThrow(/logicalNot: argument x: expected dtype bool, got float32/);
  });
  it("maps empty and scalar tensors", () => {
    expect(exp(tensor([], { dtype: "float64" })).shape).toEqual([0]);
    expect(neg(tensor(2, { dtype: "float64" })).toNested()).toBe(-2);
  });
});
