import { describe, expect, it } from "vitest";
import { GraphError } from "../../errors.js";
import { tensor } from "../../tensor.js";
import { UNKNOWN_DIM } from "../symbolic-dim.js";
import { getOperator } from "./index.js";

describe("Constant", () => {
  it.each([
    [{ value: tensor([[1, 2]], { dtype: "float64" }) }, "float64", [1, 2], [1, 2]],
    [{ value_float: 2.5 }, "float32", [], [2.5]],
    [{ value_floats: [1, 2, 3] }, "float32", [3], [1, 2, 3]],
    [{ value_int: 4 }, "int64", [], [4]],
    [{ value_ints: [4, 5] }, "int64", [2], [4, 5]],
  ] as const)("%j", (attributes, dtype, shape, values) => {
    const constant = getOperator("Constant");
    expect(constant.inferTypes([], attributes)).toEqual([{ dtype, shape }]);
    const [y] = constant.evaluate([], attributes);
    expect(y.dtype).toBe(dtype);
    expect(y.toArray()).toEqual(values);
  });

  it("needs exactly one value attribute", () => {
    expect(() => getOperator("Constant").inferTypes([], {})).toThrow('Constant: attribute "value" is missing');
    expect(() => getOperator("Constant").inferTypes([], { value_int: 1, value_float: 2 })).toThrow(GraphError);
  });
});

describe("ConstantOfShape", () => {
  it("fills a known shape with the value (float32 zero by default)", () => {
    const op = getOperator("ConstantOfShape");
    const shape = tensor([2, 3], { dtype: "int64" });
    expect(op.inferTypes([{ dtype: "int64", shape: [2] }], {}, [shape])).toEqual([{ dtype: "float32", shape: [2, 3] }]);
    expect(op.evaluate([shape])[0].toArray()).toEqual([0, 0, 0, 0, 0, 0]);
    const [y] = op.evaluate([shape], { value: tensor([7n]) });
    expect(y.dtype).toBe("int64");
    expect(y.toArray()).toEqual([7, 7, 7, 7, 7, 7]);
  });

  it("knows only the rank of an unknown shape", () => {
    expect(getOperator("ConstantOfShape").inferTypes([{ dtype: "int64", shape: [2] }], { value: tensor([1]) }))
      .toEqual([{ dtype: "float32", shape: [UNKNOWN_DIM, UNKNOWN_DIM] }]);
  });

  it("rejects a value of more than one element and negative extents", () => {
    const op = getOperator("ConstantOfShape");
    expect(() => op.inferTypes([{ dtype: "int64", shape: [1] }], { value: tensor([1, 2]) })).toThrow('attribute "value" must hold exactly one element');
    expect(() => op.evaluate([tensor([-1], { dtype: "int64" })])).toThrow("non-negative extents");
  });
});

describe("Shape", () => {
  it.each([
    [{}, [4, 5, 6]],
    [{ start: 1 }, [5, 6]],
    [{ start: -1 }, [6]],
    [{ end: -1 }, [4, 5]],
    [{ start: 2, end: 1 }, []],
    [{ start: -10, end: 10 }, [4, 5, 6]],
  ])("%j", (attributes, extents) => {
    const shape = getOperator("Shape");
    expect(shape.inferTypes([{ dtype: "float32", shape: ["batch", 5, 6] }], attributes)).toEqual([{ dtype: "int64", shape: [extents.length] }]);
    const [y] = shape.evaluate([tensor(new Float32Array(120), { shape: [4, 5, 6] })], attributes);
    expect(y.dtype).toBe("int64");
    expect(y.toArray()).toEqual(extents);
  });

  it("is known from a static type alone", () => {
    const shape = getOperator("Shape");
    expect(shape.valuesFromTypes([{ dtype: "float32", shape: [2, 3] }])![0].toArray()).toEqual([2, 3]);
    expect(shape.valuesFromTypes([{ dtype: "float32", shape: ["batch", 3] }])).toBeUndefined();
    expect(getOperator("Relu").valuesFromTypes([{ dtype: "float32", shape: [2, 3] }])).toBeUndefined();
  });
});
