import { describe, expect, it } from "vitest";
import { GraphError } from "../../errors.js";
import { tensor } from "../../tensor.js";
import type { AttributeValue, Dim, ValueType } from "../ir.js";
import { UNKNOWN_DIM } from "../symbolic-dim.js";
import { getOperator } from "./index.js";

const f32 = (...shape: Dim[]): ValueType => ({ dtype: "float32", shape });

// Two planes (n = 0, c = 0 and c = 1) of 4 x 4.
const X = tensor([
  [
    [[1, 2, 5, 3], [4, 0, 1, 1], [0, 0, 2, 7], [9, 0, 6, 1]],
    [[0, 1, 0, 0], [0, 0, 3, 0], [8, 0, 0, 0], [0, 0, 0, 2]],
  ],
]);

describe("MaxPool", () => {
  it.each<[string, Dim[], Record<string, AttributeValue>, Dim[]]>([
    ["stride 1 by default", ["batch", 3, 8, 8], { kernel_shape: [2, 2] }, ["batch", 3, 7, 7]],
    ["strides", ["batch", 3, 8, 8], { kernel_shape: [2, 2], strides: [2, 2] }, ["batch", 3, 4, 4]],
    ["ceil mode", ["batch", 3, 7, 7], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }, ["batch", 3, 4, 4]],
    // ceil((6 + 1 - 2) / 2) + 1 = 4, but the 4th window would start in the trailing pad, so 3.
    ["ceil mode drops a window starting in the padding", ["batch", 3, 6, 6], { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 1, 1], ceil_mode: 1 }, ["batch", 3, 3, 3]],
    ["SAME_UPPER", ["batch", 3, 7, 8], { kernel_shape: [3, 3], strides: [2, 2], auto_pad: "SAME_UPPER" }, ["batch", 3, 4, 4]],
    ["dilations", ["batch", 3, 8, 8], { kernel_shape: [2, 2], dilations: [3, 3] }, ["batch", 3, 5, 5]],
    ["symbolic spatial", ["batch", 3, "h", "w"], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, ["batch", 3, "h", "w"]],
    ["symbolic spatial, strided", ["batch", 3, "h", 8], { kernel_shape: [2, 2], strides: [2, 2] }, ["batch", 3, UNKNOWN_DIM, 4]],
  ])("infers %s", (_what, x, attributes, expected) => {
    const types = getOperator("MaxPool").inferTypes([f32(...x)], attributes);
    expect(types).toEqual([f32(...expected), { dtype: "int64", shape: expected }]);
  });

  it("picks window maxima, with ONNX indices counted over the whole tensor", () => {
    const [values, indices] = getOperator("MaxPool").evaluate([X], { kernel_shape: [2, 2], strides: [2, 2] });
    expect(values.toNested()).toEqual([[[[4, 5], [9, 7]], [[1, 3], [8, 2]]]]);
    // Plane 0 is offset 0, plane 1 offset 16.
    expect(indices.toArray()).toEqual([4, 2, 12, 11, 16 + 1, 16 + 6, 16 + 8, 16 + 15]);
  });

  it("computes only the values when one output is asked for", () => {
    const outputs = getOperator("MaxPool").evaluate([X], { kernel_shape: [3, 3], auto_pad: "SAME_LOWER", strides: [2, 2] }, { outputCount: 1 });
    expect(outputs).toHaveLength(1);
    // SAME_LOWER on 4 with kernel 3, stride 2: total pad 1, at the start.
    expect(outputs[0].toNested()).toEqual([[[[4, 5], [9, 7]], [[1, 3], [8, 3]]]]);
  });

  it.each<[Record<string, AttributeValue>, string]>([
    [{}, 'attribute "kernel_shape" is required but missing'],
    [{ kernel_shape: [2] }, 'attribute "kernel_shape" must be 2 integers'],
    [{ kernel_shape: [2, 2], storage_order: 1 }, 'attribute "storage_order" = 1'],
    [{ kernel_shape: [2, 2], pads: [1, 1] }, 'attribute "pads" must be 4 non-negative integers'],
  ])("rejects %j", (attributes, message) => {
    expect(() => getOperator("MaxPool").inferTypes([f32(1, 1, 4, 4)], attributes)).toThrow(message);
  });

  it("rejects non-2-D inputs", () => {
    expect(() => getOperator("MaxPool").inferTypes([f32(1, 1, 4)], { kernel_shape: [2, 2] })).toThrow(GraphError);
  });
});

describe("AveragePool", () => {
  it("averages windows, counting pads only when asked", () => {
    const attributes = { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1] };
    const plane = tensor([[[[1, 2], [3, 4]]]]);
    expect(getOperator("AveragePool").inferTypes([f32("batch", 1, 2, 2)], attributes)).toEqual([f32("batch", 1, 2, 2)]);
    expect(getOperator("AveragePool").evaluate([plane], attributes)[0].toNested()).toEqual([[[[1, 2], [3, 4]]]]);
    expect(getOperator("AveragePool").evaluate([plane], { ...attributes, count_include_pad: 1 })[0].toNested()).toEqual([[[[0.25, 0.5], [0.75, 1]]]]);
  });

  it("has no dilations in opset 17", () => {
    expect(() => getOperator("AveragePool").inferTypes([f32(1, 1, 4, 4)], { kernel_shape: [2, 2], dilations: [1, 1] }))
      .toThrow('attribute "dilations" is not an attribute of this operator');
  });
});

describe("GlobalAveragePool", () => {
  it("averages each plane", () => {
    expect(getOperator("GlobalAveragePool").inferTypes([f32("batch", 3, "h", "w")])).toEqual([f32("batch", 3, 1, 1)]);
    const [y] = getOperator("GlobalAveragePool").evaluate([X]);
    expect(y.shape).toEqual([1, 2, 1, 1]);
    expect(y.toArray()).toEqual([42 / 16, 14 / 16]);
  });
});
