import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { Generator } from "../random.js";
import { tensor, zeros } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { batchNorm, layerNorm } from "./normalization.js";

const tolerances = { float32: { rtol: 1e-5, atol: 1e-6 }, float64: { rtol: 1e-12, atol: 1e-13 } } as const;

describe("batchNorm", () => {
  for (const dtype of ["float32", "float64"] as const) {
    it.each([[[2, 3]], [[2, 3, 4]], [[1, 2, 3, 2]]])(`${dtype}: x %j, per channel (x - mean) / sqrt(var + eps) * scale + bias`, (shape) => {
      const g = new Generator(shape.length);
      const c = shape[1];
      const x = g.normal(shape, { dtype });
      const [scale, bias, mean] = [g.normal([c], { dtype }), g.normal([c], { dtype }), g.normal([c], { dtype })];
      const variance = g.uniform([c], { low: 0.5, high: 2, dtype });
      const y = batchNorm(x, scale, bias, mean, variance, 1e-3);
      const plane = shape.slice(2).reduce((p, d) => p * d, 1);
      const expected = Array.from(x.data as Float64Array, (v, i) => {
        const ch = Math.floor(i / plane) % c;
        return ((v - mean.get(ch)) / Math.sqrt(variance.get(ch) + 1e-3)) * scale.get(ch) + bias.get(ch);
      });
      expect(y.shape).toEqual(shape);
      expect(y.dtype).toBe(dtype);
      assertAllClose(y.data as Float64Array, expected, tolerances[dtype]);
    });
  }
  it("computes a hand-checked example", () => {
    const x = tensor([[[1, 3]], [[5, 7]]]);
    expect(batchNorm(x, tensor([2]), tensor([1]), tensor([4]), tensor([4]), 0).toNested()).toEqual([[[-2, 0]], [[2, 4]]]);
  });
  it("rejects parameters of the wrong size, mixed dtypes, a 1-D x and a negative epsilon", () => {
    const x = zeros([2, 3]);
    const p = zeros([3]);
    expect(() => batchNorm(x, zeros([2]), p, p, p)).toThrow(/batchNorm: argument scale must have shape \[3\] .* got \[2\]/);
    expect(() => batchNorm(x, p, p, p, zeros([3], "float64") as never)).toThrow(DTypeError);
    expect(() => batchNorm(zeros([3]), p, p, p, p)).toThrow(ShapeError);
    expect(() => batchNorm(x, p, p, p, p, -1)).toThrow(ValueError);
  });
});

describe("layerNorm", () => {
  for (const dtype of ["float32", "float64"] as const) {
    it.each([
      { shape: [4, 5], axis: -1, scale: [5], bias: [5] },
      { shape: [2, 3, 4], axis: 1, scale: [3, 4], bias: [4] },
      { shape: [2, 3, 4], axis: -2, scale: [1, 4], bias: undefined },
      { shape: [3, 4], axis: 0, scale: [], bias: [3, 1] },
    ])(`${dtype}: x $shape, axis $axis, scale $scale, bias $bias`, ({ shape, axis, scale: scaleShape, bias: biasShape }) => {
      const g = new Generator(shape.length * 3 + axis);
      const x = g.normal(shape, { dtype, mean: 3, std: 2 });
      const scale = g.normal(scaleShape, { dtype });
      const bias = biasShape ? g.normal(biasShape, { dtype }) : undefined;
      const y = layerNorm(x, scale, bias, axis, 1e-4);
      // Reference: group the flat data into runs of the normalized size; broadcast
      // parameters by right-aligned index modulo extent.
      const a = axis < 0 ? axis + shape.length : axis;
      const normalized = shape.slice(a);
      const size = normalized.reduce((p, d) => p * d, 1);
      const param = (t: typeof scale, i: number) => {
        let rest = i;
        let offset = 0;
        let stride = 1;
        for (let ax = normalized.length - 1, pa = t.ndim - 1; ax >= 0; ax--, pa--) {
          const k = rest % normalized[ax];
          rest = Math.floor(rest / normalized[ax]);
          if (pa >= 0) {
            offset += (k % t.shape[pa]) * stride;
            stride *= t.shape[pa];
          }
        }
        return t.data[offset] as number;
      };
      const data = Array.from(x.data as Float64Array);
      const expected: number[] = [];
      for (let start = 0; start < data.length; start += size) {
        const group = data.slice(start, start + size);
        const mean = group.reduce((s, v) => s + v, 0) / size;
        const variance = group.reduce((s, v) => s + (v - mean) * (v - mean), 0) / size;
        group.forEach((v, i) => expected.push(((v - mean) / Math.sqrt(variance + 1e-4)) * param(scale, i) + (bias ? param(bias, i) : 0)));
      }
      expect(y.shape).toEqual(shape);
      expect(y.dtype).toBe(dtype);
      assertAllClose(y.data as Float64Array, expected, tolerances[dtype]);
    });
  }
  it("computes a hand-checked example and keeps large offsets exact", () => {
    expect(layerNorm(tensor([[1, 3], [2, 6]]), tensor([1, 1]), undefined, -1, 0).toNested()).toEqual([[-1, 1], [-1, 1]]);
    // E[x^2] - E[x]^2 would lose every digit here; two passes do not.
    const y = layerNorm(tensor([1e8 + 1, 1e8 - 1], { dtype: "float64" }), tensor([1], { dtype: "float64" }), undefined, -1, 0);
    assertAllClose(y.data as Float64Array, [1, -1], { rtol: 1e-12, atol: 0 });
  });
  it("rejects parameters that do not broadcast, mixed dtypes and bad axes", () => {
    const x = zeros([2, 3]);
    expect(() => layerNorm(x, zeros([2]))).toThrow(/layerNorm: argument scale with shape \[2\] does not broadcast to the normalized shape \[3\]/);
    expect(() => layerNorm(x, zeros([3]), zeros([2, 3]), -1)).toThrow(ShapeError);
    expect(() => layerNorm(x, zeros([3]), zeros([3], "float64") as never)).toThrow(/argument bias is float64 but x is float32/);
    expect(() => layerNorm(x, zeros([3]), undefined, 2)).toThrow(ShapeError);
    expect(() => layerNorm(tensor([1], { dtype: "int32" }) as never, zeros([1]) as never)).toThrow(DTypeError);
  });
});
