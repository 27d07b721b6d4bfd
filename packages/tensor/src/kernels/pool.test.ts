import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { Generator } from "../random.js";
import { tensor, zeros, type Tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { avgPool2d, globalAvgPool2d, maxPool2d, type MaxPool2dOptions } from "./pool.js";

const cases: { name: string; x: number[]; options: MaxPool2dOptions }[] = [
  { name: "2x2, stride defaults to the kernel", x: [2, 3, 5, 6], options: { kernelSize: [2, 2] } },
  { name: "3x3, stride [1, 2], padding 1", x: [1, 2, 5, 6], options: { kernelSize: [3, 3], stride: [1, 2], padding: [1, 1, 1, 1] } },
  { name: "asymmetric padding, ceil mode", x: [1, 2, 6, 5], options: { kernelSize: [2, 3], stride: [2, 2], padding: [1, 0, 0, 1], ceilMode: true } },
  { name: "ceil mode dropping a window that starts in the padding", x: [1, 1, 5, 5], options: { kernelSize: [2, 2], stride: [2, 2], padding: [1, 1, 1, 1], ceilMode: true } },
  { name: "dilation", x: [1, 2, 7, 5], options: { kernelSize: [3, 2], stride: [2, 1], dilation: [2, 1], padding: [2, 1, 0, 0] } },
];

/** Every tap position of window (oh, ow), in row-major window order. */
function taps(oh: number, ow: number, o: MaxPool2dOptions): [number, number][] {
  const [kh, kw] = o.kernelSize;
  const [sh, sw] = o.stride ?? o.kernelSize;
  const [pt, pl] = o.padding ?? [0, 0, 0, 0];
  const [dh, dw] = o.dilation ?? [1, 1];
  const out: [number, number][] = [];
  for (let ki = 0; ki < kh; ki++) for (let kj = 0; kj < kw; kj++) out.push([oh * sh - pt + ki * dh, ow * sw - pl + kj * dw]);
  return out;
}

/** Reference pooling: enumerate each window's taps, keep those inside the input. */
function naivePool(x: Tensor, [outH, outW]: number[], options: MaxPool2dOptions, countIncludePad: boolean) {
  const [n, c, h, w] = x.shape;
  const [pt, pl, pb, pr] = options.padding ?? [0, 0, 0, 0];
  const max: number[] = [];
  const argmax: number[] = [];
  const avg: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) {
          const all = taps(oh, ow, options);
          const inside = all.filter(([i, j]) => i >= 0 && i < h && j >= 0 && j < w);
          const inPadded = all.filter(([i, j]) => i >= -pt && i < h + pb && j >= -pl && j < w + pr);
          let best = inside[0];
          for (const t of inside) if (x.get(b, ch, ...t) > x.get(b, ch, ...best)) best = t;
          max.push(x.get(b, ch, ...best));
          argmax.push(best[0] * w + best[1]);
          const s = inside.reduce((acc, t) => acc + x.get(b, ch, ...t), 0);
          avg.push(s / (countIncludePad ? inPadded.length : inside.length));
        }
      }
    }
  }
  return { max, argmax, avg };
}

describe("output sizes (hand-checked against PyTorch's formula)", () => {
  it.each([
    [5, 2, 2, 0, false, 2],
    [5, 2, 2, 0, true, 3],
    [6, 3, 2, 1, false, 3],
    [6, 3, 2, 1, true, 4],
    [5, 2, 2, 1, true, 3], // ceil gives 4, but the 4th window would start at row 5, past the input: dropped
    [4, 2, 2, 1, true, 3],
  ])("H %d, kernel %d, stride %d, padding %d, ceil %s: %d rows", (h, k, s, p, ceilMode, expected) => {
    const x = zeros([1, 1, h, 1]);
    const options = { kernelSize: [k, 1], stride: [s, 1], padding: [p, 0, p, 0], ceilMode } as const;
    expect(maxPool2d(x, options).values.shape[2]).toBe(expected);
    expect(avgPool2d(x, options).shape[2]).toBe(expected);
  });
});

describe("maxPool2d", () => {
  for (const dtype of ["float32", "float64"] as const) {
    it.each(cases)(`${dtype}: $name`, ({ x: shape, options }) => {
      const x = new Generator(12).integers(0, 5, shape).astype(dtype); // repeated values exercise ties
      const { values, indices } = maxPool2d(x, options);
      const expected = naivePool(x, values.shape.slice(2), options, false);
      expect(values.dtype).toBe(dtype);
      expect(indices.dtype).toBe("int64");
      expect(indices.shape).toEqual(values.shape);
      expect(values.toArray()).toEqual(expected.max);
      expect(indices.toArray()).toEqual(expected.argmax);
    });
  }
  it("computes a hand-checked example; padding never wins even against negative values", () => {
    const x = tensor([[[[1, 2, 5, 3], [4, 0, 1, 1], [0, 0, 2, 7], [9, 0, 6, 1]]]]);
    const { values, indices } = maxPool2d(x, { kernelSize: [2, 2] });
    expect(values.toNested()).toEqual([[[[4, 5], [9, 7]]]]);
    expect(indices.toNested()).toEqual([[[[4n, 2n], [12n, 11n]]]]);
    const negative = tensor([[[[-3, -1], [-2, -4]]]]);
    const padded = maxPool2d(negative, { kernelSize: [2, 2], stride: [1, 1], padding: [1, 1, 0, 0] });
    expect(padded.values.toNested()).toEqual([[[[-3, -1], [-2, -1]]]]);
    expect(padded.indices.toNested()).toEqual([[[[0n, 1n], [2n, 1n]]]]);
  });
  it("propagates NaN and handles all -Infinity windows", () => {
    const x = tensor([[[[1, NaN], [-Infinity, -Infinity]]]], { dtype: "float64" });
    const { values, indices } = maxPool2d(x, { kernelSize: [1, 2] });
    expect(values.toArray()).toEqual([NaN, -Infinity]);
    expect(indices.toArray()).toEqual([1, 2]);
  });
});

describe("avgPool2d", () => {
  for (const dtype of ["float32", "float64"] as const) {
    for (const countIncludePad of [false, true]) {
      it.each(cases.filter((c) => c.options.dilation === undefined))(`${dtype}, countIncludePad ${countIncludePad}: $name`, ({ x: shape, options }) => {
        const x = new Generator(13).normal(shape, { dtype });
        const y = avgPool2d(x, { ...options, countIncludePad });
        const expected = naivePool(x, y.shape.slice(2), options, countIncludePad);
        expect(y.dtype).toBe(dtype);
        assertAllClose(y.data as Float64Array, expected.avg, dtype === "float32" ? { rtol: 1e-6, atol: 1e-6 } : { rtol: 1e-14, atol: 1e-14 });
      });
    }
  }
  it("computes hand-checked examples", () => {
    const x = tensor([[[[1, 2], [3, 4]]]]);
    expect(avgPool2d(x, { kernelSize: [2, 2] }).toNested()).toEqual([[[[2.5]]]]);
    const options = { kernelSize: [2, 2], stride: [1, 1], padding: [1, 1, 0, 0] } as const;
    expect(avgPool2d(x, options).toNested()).toEqual([[[[1, 1.5], [2, 2.5]]]]);
    expect(avgPool2d(x, { ...options, countIncludePad: true }).toNested()).toEqual([[[[0.25, 0.75], [1, 2.5]]]]);
  });
});

describe("globalAvgPool2d", () => {
  it("averages each plane into [N, C, 1, 1]", () => {
    const x = new Generator(2).normal([2, 3, 4, 5], { dtype: "float64" });
    const y = globalAvgPool2d(x);
    expect(y.shape).toEqual([2, 3, 1, 1]);
    const expected: number[] = [];
    for (let n = 0; n < 2; n++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let i = 0; i < 4; i++) for (let j = 0; j < 5; j++) s += x.get(n, c, i, j);
        expected.push(s / 20);
      }
    }
    assertAllClose(y.data as Float64Array, expected, { rtol: 1e-14, atol: 1e-15 });
  });
});

describe("pooling errors", () => {
  const x = zeros([1, 1, 4, 4]);
  it.each([
    ["3-D input", () => maxPool2d(zeros([1, 4, 4]), { kernelSize: [2, 2] }), ShapeError, /maxPool2d: argument x must be \[N, C, H, W\]/],
    ["integer input", () => avgPool2d(tensor([[[[1]]]], { dtype: "int32" }) as never, { kernelSize: [1, 1] }), DTypeError, /avgPool2d: argument x: expected dtype float32 or float64, got int32/],
    ["padding over half the window", () => maxPool2d(x, { kernelSize: [2, 2], padding: [2, 0, 0, 0] }), ValueError, /padding \[2, 0, 0, 0\] must be at most half the window 2 x 2/],
    ["window larger than the input", () => avgPool2d(x, { kernelSize: [5, 1] }), ShapeError, /does not fit the padded input 4 x 4/],
    ["zero kernel", () => maxPool2d(x, { kernelSize: [0, 2] }), ValueError, /kernelSize must be 2 positive integers/],
    ["global pooling of a matrix", () => globalAvgPool2d(zeros([4, 4])), ShapeError, /globalAvgPool2d: argument x must be \[N, C, H, W\]/],
  ] as const)("%s", (_, run, type, message) => {
    expect(run).toThrow(type);
    expect(run).toThrow(message);
  });
});
