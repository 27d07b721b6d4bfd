import { describe, expect, it } from "vitest";
import { GraphError } from "../../errors.js";
import { tensor } from "../../tensor.js";
import { assertAllClose } from "../../test/all-close.js";
import type { Dim, ValueType } from "../ir.js";
import { UNKNOWN_DIM } from "../symbolic-dim.js";
import { getOperator } from "./index.js";

const f64 = (...shape: Dim[]): ValueType => ({ dtype: "float64", shape });
const axesOf = (...axes: number[]) => tensor(axes, { dtype: "int64" });
const X = tensor([[1, 5, 3], [4, 2, 6]], { dtype: "float64" });

describe("ReduceSum (axes as an input)", () => {
  it.each<[number[] | undefined, number, number, Dim[], number[]]>([
    [[1], 1, 0, ["batch", 1], [9, 12]],
    [[-1], 0, 0, ["batch"], [9, 12]],
    [[0], 0, 0, [3], [5, 7, 9]],
    [undefined, 1, 0, [1, 1], [21]],
    [undefined, 0, 0, [], [21]],
    [[], 0, 1, ["batch", 3], [1, 5, 3, 4, 2, 6]],
    [undefined, 1, 1, ["batch", 3], [1, 5, 3, 4, 2, 6]],
  ])("axes %j keepdims %i noop %i", (axes, keepdims, noop, shape, values) => {
    const reduce = getOperator("ReduceSum");
    const attributes = { keepdims, noop_with_empty_axes: noop };
    const axesInput = axes && axesOf(...axes);
    const types = reduce.inferTypes([f64("batch", 3), axesInput && { dtype: "int64", shape: [axes.length] }], attributes, [undefined, axesInput]);
    expect(types).toEqual([f64(...shape)]);
    const [y] = reduce.evaluate([X, axesInput], attributes);
    expect(y.toArray()).toEqual(values);
  });

  it("needs constant axes unless keepdims keeps the rank", () => {
    const reduce = getOperator("ReduceSum");
    const axes: ValueType = { dtype: "int64", shape: [1] };
    expect(reduce.inferTypes([f64("batch", 3), axes])).toEqual([f64(UNKNOWN_DIM, UNKNOWN_DIM)]);
    expect(() => reduce.inferTypes([f64("batch", 3), axes], { keepdims: 0 })).toThrow(GraphError);
    expect(() => reduce.inferTypes([f64(2, 3), axes], {}, [undefined, axesOf(2)])).toThrow('input 1 ("axes"): axis 2 is out of range');
  });
});

describe("ReduceMean, ReduceMax, ReduceMin (axes as an attribute)", () => {
  it.each<[string, number[] | undefined, number[]]>([
    ["ReduceMean", [1], [3, 4]],
    ["ReduceMean", undefined, [3.5]],
    ["ReduceMax", [0], [4, 5, 6]],
    ["ReduceMax", [-1], [5, 6]],
    ["ReduceMin", [1], [1, 2]],
    ["ReduceMin", [0, 1], [1]],
  ])("%s over %j", (op, axes, values) => {
    const reduce = getOperator(op);
    const attributes: Record<string, number | number[]> = axes ? { axes, keepdims: 0 } : { keepdims: 0 };
    const rank = axes ? 2 - axes.length : 0;
    expect(reduce.inferTypes([f64("batch", 3)], attributes)[0].shape).toHaveLength(rank);
    expect(reduce.evaluate([X], attributes)[0].toArray()).toEqual(values);
  });

  it("keeps dims by default and rejects axes as an input or repeated", () => {
    expect(getOperator("ReduceMean").inferTypes([f64("batch", 3)], { axes: [1] })).toEqual([f64("batch", 1)]);
    expect(() => getOperator("ReduceMean").inferTypes([f64(2, 3), { dtype: "int64", shape: [1] }])).toThrow("expects 1 inputs (data), got 2");
    expect(() => getOperator("ReduceMax").inferTypes([f64(2, 3)], { axes: [1, -1] })).toThrow('attribute "axes": axes [1, -1] repeat an axis');
  });
});

describe("ArgMax", () => {
  it("gives int64 indices along an axis", () => {
    const argMax = getOperator("ArgMax");
    expect(argMax.inferTypes([f64("batch", 3)], { axis: 1 })).toEqual([{ dtype: "int64", shape: ["batch", 1] }]);
    expect(argMax.inferTypes([f64("batch", 3)], { axis: 1, keepdims: 0 })).toEqual([{ dtype: "int64", shape: ["batch"] }]);
    expect(argMax.evaluate([X], { axis: 1, keepdims: 0 })[0].toArray()).toEqual([1, 2]);
    expect(argMax.evaluate([X])[0].toNested()).toEqual([[1n, 0n, 1n]]);
  });

  it("rejects select_last_index", () => {
    expect(() => getOperator("ArgMax").inferTypes([f64(2)], { select_last_index: 1 })).toThrow('attribute "select_last_index"');
    // evaluate runs the type rule first, so it cannot silently ignore the attribute.
    expect(() => getOperator("ArgMax").evaluate([X], { select_last_index: 1 })).toThrow('attribute "select_last_index"');
  });
});

describe("Softmax and LogSoftmax", () => {
  const softmaxRow = (row: number[]) => {
    const e = row.map(Math.exp);
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  };

  it("normalize along the last axis by default", () => {
    const expected = [[1, 5, 3], [4, 2, 6]].map(softmaxRow);
    expect(getOperator("Softmax").inferTypes([f64("batch", 3)])).toEqual([f64("batch", 3)]);
    assertAllClose(getOperator("Softmax").evaluate([X])[0], tensor(expected, { dtype: "float64" }));
    assertAllClose(getOperator("LogSoftmax").evaluate([X])[0], tensor(expected.map((r) => r.map(Math.log)), { dtype: "float64" }));
  });

  it("normalize along a given axis", () => {
    const columns = softmaxRow([1, 4]);
    const [y] = getOperator("Softmax").evaluate([X], { axis: 0 });
    assertAllClose(y.slice(null, 0), tensor(columns, { dtype: "float64" }));
    expect(() => getOperator("Softmax").inferTypes([{ dtype: "int32", shape: [2] }])).toThrow('input 0 ("input") must be float32 or float64');
  });
});
