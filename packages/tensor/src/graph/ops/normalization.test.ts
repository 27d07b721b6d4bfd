import { describe, expect, it } from "vitest";
import { GraphError, ShapeError } from "../../errors.js";
import { Generator } from "../../random.js";
import { tensor, Tensor } from "../../tensor.js";
import { assertAllClose } from "../../test/all-close.js";
import type { Dim, ValueType } from "../ir.js";
import { getOperator } from "./index.js";

const f64 = (...shape: Dim[]): ValueType => ({ dtype: "float64", shape });
const vector = (values: number[]) => tensor(values, { dtype: "float64" });

describe("BatchNormalization", () => {
  it("normalizes each channel with the running statistics", () => {
    const x = new Generator(7).normal([2, 3, 2, 2], { dtype: "float64" });
    const [scale, bias, mean, variance] = [vector([1, 2, 0.5]), vector([0, -1, 3]), vector([0.1, -0.2, 0.3]), vector([1, 0.25, 4])];
    const epsilon = 1e-3;
    const [y] = getOperator("BatchNormalization").evaluate([x, scale, bias, mean, variance], { epsilon });
    const expected = new Tensor("float64", x.shape);
    for (let i = 0; i < x.size; i++) {
      const c = Math.floor(i / 4) % 3;
      expected.data[i] = ((x.data[i] as number) - mean.get(c)) / Math.sqrt(variance.get(c) + epsilon) * scale.get(c) + bias.get(c);
    }
    assertAllClose(y, expected);
    expect(getOperator("BatchNormalization").inferTypes([f64("batch", 3, 2, 2), f64(3), f64(3), f64(3), f64(3)])).toEqual([f64("batch", 3, 2, 2)]);
  });

  it("rejects training mode and statistics of the wrong length", () => {
    const op = getOperator("BatchNormalization");
    expect(() => op.inferTypes([f64(1, 3, 2, 2), f64(3), f64(3), f64(3), f64(3)], { training_mode: 1 })).toThrow(GraphError);
    expect(() => op.inferTypes([f64(1, 3, 2, 2), f64(3), f64(4), f64(3), f64(3)])).toThrow('input 2 ("B") must be [3]');
  });
});

describe("LayerNormalization", () => {
  /** The textbook layer norm over the last `count` axes of a [rows, ...] tensor flattened to rows. */
  function reference(x: Tensor, normalizedSize: number, scale: number[], bias: number[], epsilon: number): Tensor {
    const out = new Tensor("float64", x.shape);
    const data = x.data as Float64Array;
    for (let start = 0; start < x.size; start += normalizedSize) {
      const row = Array.from(data.subarray(start, start + normalizedSize));
      const mean = row.reduce((a, b) => a + b, 0) / row.length;
      const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
      row.forEach((v, k) => (out.data[start + k] = ((v - mean) / Math.sqrt(variance + epsilon)) * scale[k] + bias[k]));
    }
    return out;
  }

  it.each<[number, number[]]>([
    [-1, [4]],
    [1, [3, 4]],
  ])("normalizes from axis %i", (axis, normalized) => {
    const x = new Generator(3).normal([2, 3, 4], { dtype: "float64" });
    const size = normalized.reduce((a, b) => a * b, 1);
    const scale = Array.from({ length: size }, (_, k) => 1 + k / 10);
    const bias = Array.from({ length: size }, (_, k) => k / 5 - 1);
    const attributes = { axis, epsilon: 1e-4 };
    const [y] = getOperator("LayerNormalization").evaluate([x, vector(scale).reshape(normalized), vector(bias).reshape(normalized)], attributes);
    assertAllClose(y, reference(x, size, scale, bias, 1e-4));
    const [noBias] = getOperator("LayerNormalization").evaluate([x, vector(scale).reshape(normalized)], attributes);
    assertAllClose(noBias, reference(x, size, scale, new Array(size).fill(0), 1e-4));
  });

  it("types its output like X and checks Scale against the normalized extents", () => {
    const op = getOperator("LayerNormalization");
    expect(op.inferTypes([f64("batch", "seq", 8), f64(8)])).toEqual([f64("batch", "seq", 8)]);
    expect(() => op.inferTypes([f64("batch", 8), f64(7)])).toThrow(ShapeError);
    expect(() => op.inferTypes([f64("batch", 8), f64(8)], { axis: 2 })).toThrow('attribute "axis" is 2, out of range');
  });
});

describe("Dropout", () => {
  it("is the identity at inference, with an all-true mask", () => {
    const x = vector([1, -2, 3]);
    const [y, mask] = getOperator("Dropout").evaluate([x, vector([0.5])]);
    expect(y.toArray()).toEqual([1, -2, 3]);
    expect(mask.toNested()).toEqual([true, true, true]);
    expect(getOperator("Dropout").evaluate([x], {}, { outputCount: 1 })).toHaveLength(1);
    expect(getOperator("Dropout").inferTypes([f64("batch")])).toEqual([f64("batch"), { dtype: "bool", shape: ["batch"] }]);
  });

  it("rejects training mode", () => {
    const training = tensor([true]);
    expect(() => getOperator("Dropout").evaluate([vector([1]), undefined, training])).toThrow('input 2 ("training_mode") is true');
    expect(() => getOperator("Dropout").inferTypes([f64(1), undefined, { dtype: "bool", shape: [] }], {}, [undefined, undefined, training])).toThrow(GraphError);
    expect(getOperator("Dropout").evaluate([vector([1]), undefined, tensor([false])])[0].toArray()).toEqual([1]);
  });
});
