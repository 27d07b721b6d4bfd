import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { Generator } from "../random.js";
import { tensor, Tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import {
  add, div, equal, greater, greaterEqual, less, lessEqual, logicalAnd, logicalOr, maximum, minimum, mul, pow, sub,
} from "./elementwise-binary.js";

/**
 * Naive NumPy broadcasting, written independently of the kernels' driver: for
 * each output multi-index, an operand's index along an axis is the output's
 * index modulo the operand's extent (0 when the extent is 1).
 */
function naiveBroadcast(a: Tensor, b: Tensor, f: (x: number, y: number) => number): { shape: number[]; values: number[] } {
  const rank = Math.max(a.ndim, b.ndim);
  const pad = (s: readonly number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const sa = pad(a.shape);
  const sb = pad(b.shape);
  const shape = sa.map((d, i) => Math.max(d, sb[i]) * (d === 0 || sb[i] === 0 ? 0 : 1));
  const size = shape.reduce((p, d) => p * d, 1);
  const values: number[] = [];
  for (let flat = 0; flat < size; flat++) {
    let rest = flat;
    const index = new Array<number>(rank);
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis] = rest % shape[axis];
      rest = Math.floor(rest / shape[axis]);
    }
    let ia = 0;
    let ib = 0;
    for (let axis = 0; axis < rank; axis++) {
      ia = ia * sa[axis] + (index[axis] % sa[axis]);
      ib = ib * sb[axis] + (index[axis] % sb[axis]);
    }
    values.push(f(Number(a.data[ia]), Number(b.data[ib])));
  }
  return { shape, values };
}

const shapePairs: [number[], number[]][] = [
  [[2, 3], [2, 3]],
  [[2, 3], []],
  [[], [2, 3]],
  [[1], [4]],
  [[4, 1, 3], [2, 1]],
  [[1, 5], [3, 1]],
  [[2, 1, 3, 1], [4, 1, 1]],
  [[3], [2, 1, 3]],
  [[2, 3, 1, 2], [3, 2, 1]],
  [[0, 3], [1, 3]],
];

const floatOps = [
  { name: "add", kernel: add, reference: (x: number, y: number) => x + y },
  { name: "sub", kernel: sub, reference: (x: number, y: number) => x - y },
  { name: "mul", kernel: mul, reference: (x: number, y: number) => x * y },
  { name: "div", kernel: div, reference: (x: number, y: number) => x / y },
  { name: "pow", kernel: pow, reference: (x: number, y: number) => Math.exp(y * Math.log(x)) },
  { name: "maximum", kernel: maximum, reference: (x: number, y: number) => (x >= y ? x : y) },
  { name: "minimum", kernel: minimum, reference: (x: number, y: number) => (x <= y ? x : y) },
];
const comparisons = [
  { name: "equal", kernel: equal, reference: (x: number, y: number) => Number(x === y) },
  { name: "less", kernel: less, reference: (x: number, y: number) => Number(x < y) },
  { name: "greater", kernel: greater, reference: (x: number, y: number) => Number(x > y) },
  { name: "lessEqual", kernel: lessEqual, reference: (x: number, y: number) => Number(x <= y) },
  { name: "greaterEqual", kernel: greaterEqual, reference: (x: number, y: number) => Number(x >= y) },
];

describe("binary float kernels broadcast like NumPy", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const tolerance = dtype === "float32" ? { rtol: 1e-6, atol: 1e-7 } : { rtol: 1e-13, atol: 1e-15 };
    for (const { name, kernel, reference } of floatOps) {
      it.each(shapePairs)(`${name} (${dtype}) of %j and %j`, (shapeA, shapeB) => {
        const g = new Generator(shapeA.length * 10 + shapeB.length);
        const a = g.uniform(shapeA, { low: 0.5, high: 2, dtype });
        const b = g.uniform(shapeB, { low: 0.5, high: 2, dtype });
        const before = [a.clone(), b.clone()];
        const y = kernel(a, b);
        const expected = naiveBroadcast(a, b, reference);
        expect(y.dtype).toBe(dtype);
        expect(y.shape).toEqual(expected.shape);
        assertAllClose(y.data as Float64Array, expected.values, tolerance, name);
        expect([a.data, b.data]).toEqual([before[0].data, before[1].data]);
      });
    }
  }
});

describe("comparisons give bool tensors", () => {
  for (const { name, kernel, reference } of comparisons) {
    it.each(shapePairs)(`${name} of %j and %j`, (shapeA, shapeB) => {
      // Small integers stored as float64 so ties occur.
      const g = new Generator(3);
      const a = g.integers(0, 3, shapeA).astype("float64");
      const b = g.integers(0, 3, shapeB).astype("float64");
      const y = kernel(a, b);
      const expected = naiveBroadcast(a, b, reference);
      expect(y.dtype).toBe("bool");
      expect(y.shape).toEqual(expected.shape);
      expect(Array.from(y.data as Uint8Array)).toEqual(expected.values);
    });
  }
  it("compare int32 and int64 the same way", () => {
    const a32 = tensor([[1], [2], [3]], { dtype: "int32" });
    const b32 = tensor([2, 3], { dtype: "int32" });
    const a64 = a32.astype("int64");
    const b64 = b32.astype("int64");
    for (const { kernel, reference } of comparisons) {
      const expected = naiveBroadcast(a32, b32, reference).values;
      expect(Array.from(kernel(a32, b32).data as Uint8Array)).toEqual(expected);
      expect(Array.from(kernel(a64, b64).data as Uint8Array)).toEqual(expected);
    }
  });
  it("treat NaN as unequal to everything", () => {
    const nan = tensor([NaN], { dtype: "float64" });
    for (const { kernel } of comparisons) expect(kernel(nan, nan).toNested()).toEqual([false]);
  });
});

describe("integer arithmetic wraps and truncates like C", () => {
  const i32 = (values: number[]) => tensor(values, { dtype: "int32" });
  const i64 = (values: bigint[]) => tensor(values, { dtype: "int64" });
  it.each([
    ["add", add, [2147483647, -5], [1, 3], [-2147483648, -2]],
    ["sub", sub, [-2147483648, 5], [1, 7], [2147483647, -2]],
    ["mul", mul, [65536, -7], [65536, 3], [0, -21]],
    ["div", div, [7, -7, 7, -7, 0], [2, 2, -2, -2, 5], [3, -3, -3, 3, 0]],
    ["pow", pow, [3, 2, 2, -1, 1, -2], [4, 31, -1, -3, -9, 3], [81, -2147483648, 0, -1, 1, -8]],
    ["maximum", maximum, [3, -4], [1, 9], [3, 9]],
    ["minimum", minimum, [3, -4], [1, 9], [1, -4]],
  ] as const)("%s on int32", (_, kernel, a, b, expected) => {
    const y = kernel(i32([...a]), i32([...b]));
    expect(y.dtype).toBe("int32");
    expect(y.toArray()).toEqual(expected);
  });
  it.each([
    ["add", add, [2n ** 63n - 1n, -5n], [1n, 3n], [-(2n ** 63n), -2n]],
    ["sub", sub, [-(2n ** 63n), 5n], [1n, 7n], [2n ** 63n - 1n, -2n]],
    ["mul", mul, [2n ** 32n, -7n], [2n ** 32n, 3n], [0n, -21n]],
    ["div", div, [7n, -7n, 7n, -7n, 2n ** 62n], [2n, 2n, -2n, -2n, 3n], [3n, -3n, -3n, 3n, 2n ** 62n / 3n]],
    ["pow", pow, [3n, 2n, 2n, -1n, -2n], [4n, 63n, -1n, -3n, 3n], [81n, -(2n ** 63n), 0n, -1n, -8n]],
    ["maximum", maximum, [3n, -4n], [1n, 9n], [3n, 9n]],
    ["minimum", minimum, [3n, -4n], [1n, 9n], [1n, -4n]],
  ] as const)("%s on int64", (_, kernel, a, b, expected) => {
    const y = kernel(i64([...a]), i64([...b]));
    expect(y.dtype).toBe("int64");
    expect(y.toNested()).toEqual(expected);
  });
  it("pow by repeated squaring equals the exact power reduced modulo 2^32 / 2^64", () => {
    expect(pow(i32([3, 7]), i32([40, 1000001])).toArray()).toEqual([
      Number(BigInt.asIntN(32, 3n ** 40n)),
      Number(BigInt.asIntN(32, 7n ** 1000001n % 2n ** 32n)),
    ]);
    expect(pow(i64([3n]), i64([50n])).toNested()).toEqual([BigInt.asIntN(64, 3n ** 50n)]);
  });
  it("broadcasts int64 operands", () => {
    expect(add(i64([1n, 2n]).reshape([2, 1]), i64([10n, 20n, 30n])).toNested()).toEqual([[11n, 21n, 31n], [12n, 22n, 32n]]);
  });
  it("throws a ValueError on integer division by zero", () => {
    expect(() => div(i32([1]), i32([0]))).toThrow(ValueError);
    expect(() => div(i64([1n]), i64([0n]))).toThrow(/div: integer division by zero/);
    expect(() => pow(i32([0]), i32([-1]))).toThrow(ValueError);
  });
});

describe("float special values", () => {
  const f = (values: number[]) => tensor(values, { dtype: "float64" });
  it("propagate NaN through maximum and minimum, and follow C pow", () => {
    expect(maximum(f([NaN, 1]), f([1, NaN])).toArray()).toEqual([NaN, NaN]);
    expect(minimum(f([NaN, 1]), f([1, NaN])).toArray()).toEqual([NaN, NaN]);
    expect(pow(f([1, -1, -1, NaN, 2]), f([NaN, Infinity, -Infinity, 0, -1])).toArray()).toEqual([1, 1, 1, 1, 0.5]);
    expect(div(f([1, -1, 0]), f([0, 0, 0])).toArray()).toEqual([Infinity, -Infinity, NaN]);
  });
});

describe("bool kernels", () => {
  const a = tensor([[true], [false]], { dtype: "bool" });
  const b = tensor([true, false], { dtype: "bool" });
  it.each([
    ["logicalAnd", logicalAnd, [[true, false], [false, false]]],
    ["logicalOr", logicalOr, [[true, true], [true, false]]],
    ["equal", equal, [[true, false], [false, true]]],
  ] as const)("%s truth table with broadcasting", (_, kernel, expected) => {
    const y = kernel(a, b);
    expect(y.dtype).toBe("bool");
    expect(y.toNested()).toEqual(expected);
  });
});

describe("binary kernel errors", () => {
  const x32 = tensor([1, 2, 3]);
  it("reject mixed dtypes as ONNX does", () => {
    expect(() => add(x32, tensor([1, 2, 3], { dtype: "float64" }) as never)).toThrow(DTypeError);
    expect(() => add(x32, tensor([1, 2, 3], { dtype: "float64" }) as never)).toThrow(/add: operands must have the same dtype, got a: float32 and b: float64/);
    expect(() => less(tensor([1], { dtype: "int32" }), tensor([1n]) as never)).toThrow(/less: .*int32.*int64/);
  });
  it("reject dtypes the operator does not define", () => {
    expect(() => logicalAnd(x32 as never, x32 as never)).toThrow(/logicalAnd: expected dtype bool, got float32/);
    expect(() => less(tensor([true]) as never, tensor([false]) as never)).toThrow(DTypeError);
    expect(() => add(tensor([true]) as never, tensor([false]) as never)).toThrow(/add: .*got bool/);
  });
  it("reject shapes that do not broadcast, naming the kernel and both shapes", () => {
    expect(() => mul(tensor([[1, 2, 3], [4, 5, 6]]), tensor([1, 2]))).toThrow(ShapeError);
    expect(() => mul(tensor([[1, 2, 3], [4, 5, 6]]), tensor([1, 2]))).toThrow(/mul: cannot broadcast shapes \[2, 3\] and \[2\]/);
  });
});
