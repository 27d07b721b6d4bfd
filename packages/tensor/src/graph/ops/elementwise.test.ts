import { describe, expect, it } from "vitest";
import type { DType } from "../../dtype.js";
import { DTypeError, GraphError, ShapeError } from "../../errors.js";
import { tensor } from "../../tensor.js";
import { assertAllClose } from "../../test/all-close.js";
import { getOperator } from "./index.js";

const erf = (x: number) => {
  // Abramowitz-Stegun 7.1.26 is too coarse for a reference; integrate exp(-t^2) by Simpson's rule instead.
  const n = 2000;
  const h = x / n;
  let s = 1 + Math.exp(-x * x);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * Math.exp(-((i * h) ** 2));
  return ((2 / Math.sqrt(Math.PI)) * s * h) / 3;
};

const UNARY: [string, DType, number[], (x: number) => number][] = [
  ["Identity", "float32", [-1.5, 0, 2], (x) => x],
  ["Neg", "int32", [-1, 0, 2], (x) => -x],
  ["Abs", "float64", [-1.5, 0, 2], Math.abs],
  ["Exp", "float64", [-1, 0, 0.5], Math.exp],
  ["Log", "float64", [0.5, 1, 3], Math.log],
  ["Sqrt", "float32", [0, 4, 2], Math.sqrt],
  ["Reciprocal", "float64", [-2, 0.5, 4], (x) => 1 / x],
  ["Relu", "float32", [-2, 0, 3], (x) => Math.max(x, 0)],
  ["Sigmoid", "float64", [-3, 0, 2], (x) => 1 / (1 + Math.exp(-x))],
  ["Tanh", "float64", [-1, 0, 0.3], Math.tanh],
  ["Sign", "int64", [-4, 0, 9], Math.sign],
  ["Floor", "float32", [-1.5, 0.2, 2.7], Math.floor],
  ["Ceil", "float32", [-1.5, 0.2, 2.7], Math.ceil],
  ["Erf", "float64", [-1, 0.1, 2], erf],
  ["Softplus", "float64", [-3, 0, 4], (x) => Math.log1p(Math.exp(x))],
];

describe("unary operators", () => {
  it.each(UNARY)("%s keeps the type and matches Math", (op, dtype, values, reference) => {
    const definition = getOperator(op);
    expect(definition.inferTypes([{ dtype, shape: ["batch", 3] }])).toEqual([{ dtype, shape: ["batch", 3] }]);
    const [y] = definition.evaluate([tensor(values, { dtype, shape: [1, 3] })]);
    expect(y.dtype).toBe(dtype);
    assertAllClose(y, tensor(values.map(reference), { dtype: "float64", shape: [1, 3] }), { rtol: 1e-6, atol: 1e-7 });
  });

  it("Not negates bools", () => {
    const [y] = getOperator("Not").evaluate([tensor([true, false])]);
    expect(y.toNested()).toEqual([false, true]);
  });

  it.each([
    ["Exp", "int32"],
    ["Not", "float32"],
    ["Neg", "bool"],
  ] as const)("%s rejects %s with a DTypeError naming the input", (op, dtype) => {
    expect(() => getOperator(op).inferTypes([{ dtype, shape: [2] }])).toThrow(DTypeError);
    expect(() => getOperator(op).inferTypes([{ dtype, shape: [2] }])).toThrow(`${op}: input 0 ("X") must be`);
  });
});

const BINARY: [string, number[], number[], (a: number, b: number) => number][] = [
  ["Add", [1, 2], [10, 20, 30], (a, b) => a + b],
  ["Sub", [1, 2], [10, 20, 30], (a, b) => a - b],
  ["Mul", [1, 2], [10, 20, 30], (a, b) => a * b],
  ["Div", [1, 2], [10, 20, 30], (a, b) => a / b],
  ["Pow", [1, 2], [0.5, 2, 3], (a, b) => a ** b],
  ["Max", [1, 25], [10, 20, 30], Math.max],
  ["Min", [1, 25], [10, 20, 30], Math.min],
  ["Equal", [10, 2], [10, 20, 30], (a, b) => Number(a === b)],
  ["Less", [15, 2], [10, 20, 30], (a, b) => Number(a < b)],
  ["Greater", [15, 2], [10, 20, 30], (a, b) => Number(a > b)],
  ["LessOrEqual", [20, 2], [10, 20, 30], (a, b) => Number(a <= b)],
  ["GreaterOrEqual", [20, 2], [10, 20, 30], (a, b) => Number(a >= b)],
];

describe("binary operators broadcast", () => {
  it.each(BINARY)("%s: [2, 1] with [3]", (op, a, b, reference) => {
    const definition = getOperator(op);
    const [type] = definition.inferTypes([{ dtype: "float64", shape: ["batch", 1] }, { dtype: "float64", shape: [3] }]);
    const resultDType = ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"].includes(op) ? "bool" : "float64";
    expect(type).toEqual({ dtype: resultDType, shape: ["batch", 3] });
    const [y] = definition.evaluate([tensor(a, { dtype: "float64", shape: [2, 1] }), tensor(b, { dtype: "float64" })]);
    expect(y.dtype).toBe(resultDType);
    const expected = a.flatMap((x) => b.map((z) => reference(x, z)));
    assertAllClose(y.astype("float64"), tensor(expected, { dtype: "float64", shape: [2, 3] }));
  });

  it("And and Or combine bools", () => {
    const a = tensor([true, true, false, false]);
    const b = tensor([true, false, true, false]);
    expect(getOperator("And").evaluate([a, b])[0].toNested()).toEqual([true, false, false, false]);
    expect(getOperator("Or").evaluate([a, b])[0].toNested()).toEqual([true, true, true, false]);
  });

  it("Max and Min take any number of inputs", () => {
    const inputs = [tensor([1, 9, 3]), tensor([4, 2, 6]), tensor(5)];
    expect(getOperator("Max").evaluate(inputs)[0].toArray()).toEqual([5, 9, 6]);
    expect(getOperator("Min").evaluate(inputs)[0].toArray()).toEqual([1, 2, 3]);
    expect(getOperator("Max").evaluate([tensor([7])])[0].toArray()).toEqual([7]);
    expect(getOperator("Max").inferTypes([{ dtype: "float32", shape: [3] }, { dtype: "float32", shape: ["n", 1] }, { dtype: "float32", shape: [] }]))
      .toEqual([{ dtype: "float32", shape: ["n", 3] }]);
  });

  it("Pow casts an integer exponent to a float base", () => {
    const [y] = getOperator("Pow").evaluate([tensor([2, 3], { dtype: "float64" }), tensor([3], { dtype: "int64" })]);
    expect(y.dtype).toBe("float64");
    expect(y.toArray()).toEqual([8, 27]);
    expect(() => getOperator("Pow").inferTypes([{ dtype: "int32", shape: [2] }, { dtype: "float32", shape: [2] }])).toThrow(DTypeError);
    expect(() => getOperator("Pow").evaluate([tensor([2], { dtype: "int32" }), tensor([0.5])])).toThrow(DTypeError);
  });

  it("rejects operands of different dtypes, naming both inputs", () => {
    const call = () => getOperator("Add").inferTypes([{ dtype: "float32", shape: [2] }, { dtype: "float64", shape: [2] }]);
    expect(call).toThrow(DTypeError);
    expect(call).toThrow('Add: input 1 ("B") is float64 but input 0 is float32');
  });

  it("rejects shapes that cannot broadcast", () => {
    const call = () => getOperator("Mul").inferTypes([{ dtype: "float32", shape: ["batch", 3] }, { dtype: "float32", shape: [4] }]);
    expect(call).toThrow(ShapeError);
    expect(call).toThrow("Mul: cannot broadcast");
  });

  it("rejects a wrong number of inputs", () => {
    expect(() => getOperator("Add").inferTypes([{ dtype: "float32", shape: [2] }])).toThrow('Add: expects 2 inputs (A, B), got 1');
    expect(() => getOperator("Max").inferTypes([])).toThrow(GraphError);
  });
});

describe("Where", () => {
  it("broadcasts all three inputs and picks by condition", () => {
    const where = getOperator("Where");
    expect(where.inferTypes([{ dtype: "bool", shape: ["batch", 1] }, { dtype: "float32", shape: [3] }, { dtype: "float32", shape: [] }]))
      .toEqual([{ dtype: "float32", shape: ["batch", 3] }]);
    const [y] = where.evaluate([tensor([[true], [false]]), tensor([1, 2, 3]), tensor(0)]);
    expect(y.toNested()).toEqual([[1, 2, 3], [0, 0, 0]]);
  });

  it("needs a bool condition", () => {
    expect(() => getOperator("Where").inferTypes([{ dtype: "float32", shape: [1] }, { dtype: "float32", shape: [1] }, { dtype: "float32", shape: [1] }]))
      .toThrow('input 0 ("condition") must be bool');
  });
});

describe("Clip", () => {
  it("takes optional scalar bounds as inputs", () => {
    const clip = getOperator("Clip");
    const x = tensor([-2, 0.5, 3]);
    expect(clip.evaluate([x, tensor(0), tensor(1)])[0].toArray()).toEqual([0, 0.5, 1]);
    expect(clip.evaluate([x, undefined, tensor(1)])[0].toArray()).toEqual([-2, 0.5, 1]);
    expect(clip.evaluate([x])[0].toArray()).toEqual([-2, 0.5, 3]);
    expect(clip.inferTypes([{ dtype: "float32", shape: ["batch"] }, undefined, { dtype: "float32", shape: [] }]))
      .toEqual([{ dtype: "float32", shape: ["batch"] }]);
  });

  it("rejects bounds that are not scalars", () => {
    expect(() => getOperator("Clip").inferTypes([{ dtype: "float32", shape: [3] }, { dtype: "float32", shape: [2] }]))
      .toThrow('input 1 ("min") must be a scalar');
  });
});

describe("Cast", () => {
  it.each([
    [1, "float32"],
    [11, "float64"],
    [6, "int32"],
    [7, "int64"],
    [9, "bool"],
  ] as const)("to=%i gives %s", (to, dtype) => {
    const cast = getOperator("Cast");
    expect(cast.inferTypes([{ dtype: "float64", shape: ["n"] }], { to })).toEqual([{ dtype, shape: ["n"] }]);
    const [y] = cast.evaluate([tensor([0, 2.5], { dtype: "float64" })], { to });
    expect(y.dtype).toBe(dtype);
    expect(y.toArray()).toEqual(dtype === "bool" ? [0, 1] : dtype.startsWith("int") ? [0, 2] : [0, 2.5]);
  });

  it.each([
    [{}, 'attribute "to" is required but missing'],
    [{ to: 10 }, 'attribute "to" is 10, not a data type curv supports'],
    [{ to: "float32" }, 'attribute "to" must be an integer, got "float32"'],
    [{ to: 1, saturate: 1 }, 'attribute "saturate" is not an attribute of this operator (known: to)'],
  ])("reports bad attributes %j", (attributes, message) => {
    const call = () => getOperator("Cast").inferTypes([{ dtype: "float32", shape: [2] }], attributes);
    expect(call).toThrow(GraphError);
    expect(call).toThrow(`Cast: ${message}`);
  });
});
