import { describe, expect, it } from "vitest";
import type { FloatDType } from "../dtype.js";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { Generator } from "../random.js";
import { arange, ones, tensor, zeros, type Tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { conv2d, convTranspose2d, type Conv2dOptions } from "./conv.js";

interface Case {
  name: string;
  x: [number, number, number, number];
  outChannels: number;
  kernel: [number, number];
  options: Conv2dOptions;
}

const cases: Case[] = [
  { name: "3x3, defaults", x: [2, 3, 5, 6], outChannels: 4, kernel: [3, 3], options: {} },
  { name: "stride, asymmetric padding, dilation", x: [1, 2, 7, 6], outChannels: 3, kernel: [3, 2], options: { stride: [2, 1], padding: [1, 0, 2, 1], dilation: [1, 2] } },
  { name: "groups 2 with stride and dilation", x: [2, 4, 6, 7], outChannels: 6, kernel: [2, 3], options: { groups: 2, stride: [2, 2], padding: [1, 1, 1, 1], dilation: [2, 1] } },
  { name: "depthwise", x: [1, 3, 5, 5], outChannels: 6, kernel: [3, 3], options: { groups: 3, padding: [1, 1, 1, 1] } },
  { name: "pointwise (no unfold)", x: [2, 4, 3, 4], outChannels: 2, kernel: [1, 1], options: { groups: 2 } },
  { name: "1x1 with stride", x: [1, 2, 5, 4], outChannels: 3, kernel: [1, 1], options: { stride: [2, 3] } },
  { name: "kernel as large as the padded input", x: [1, 1, 3, 2], outChannels: 2, kernel: [4, 3], options: { padding: [0, 1, 1, 0] } },
];

/** Direct 2-D cross-correlation by its definition, one output element at a time. */
function naiveConv2d(x: Tensor, weight: Tensor, bias: Tensor | undefined, options: Conv2dOptions): { shape: number[]; values: number[] } {
  const [n, , h, w] = x.shape;
  const [cout, cinG, kh, kw] = weight.shape;
  const [sh, sw] = options.stride ?? [1, 1];
  const [pt, pl, pb, pr] = options.padding ?? [0, 0, 0, 0];
  const [dh, dw] = options.dilation ?? [1, 1];
  const groups = options.groups ?? 1;
  const oh = Math.floor((h + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((w + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  const values: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let co = 0; co < cout; co++) {
      const group = Math.floor(co / (cout / groups));
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          let s = bias ? bias.get(co) : 0;
          for (let c = 0; c < cinG; c++) {
            for (let ki = 0; ki < kh; ki++) {
              for (let kj = 0; kj < kw; kj++) {
                const r = i * sh - pt + ki * dh;
                const q = j * sw - pl + kj * dw;
                if (r >= 0 && r < h && q >= 0 && q < w) s += x.get(b, group * cinG + c, r, q) * weight.get(co, c, ki, kj);
              }
            }
          }
          values.push(s);
        }
      }
    }
  }
  return { shape: [n, cout, oh, ow], values };
}

/** Direct transposed convolution: every input element scatters its products with the kernel. */
function naiveConvTranspose2d(x: Tensor, weight: Tensor, options: Conv2dOptions, outH: number, outW: number): number[] {
  const [n, cin, h, w] = x.shape;
  const [, coutG, kh, kw] = weight.shape;
  const [sh, sw] = options.stride ?? [1, 1];
  const [pt, pl] = options.padding ?? [0, 0, 0, 0];
  const [dh, dw] = options.dilation ?? [1, 1];
  const groups = options.groups ?? 1;
  const cout = coutG * groups;
  const out = new Array<number>(n * cout * outH * outW).fill(0);
  for (let b = 0; b < n; b++) {
    for (let ci = 0; ci < cin; ci++) {
      const group = Math.floor(ci / (cin / groups));
      for (let i = 0; i < h; i++) {
        for (let j = 0; j < w; j++) {
          for (let c = 0; c < coutG; c++) {
            for (let ki = 0; ki < kh; ki++) {
              for (let kj = 0; kj < kw; kj++) {
                const r = i * sh - pt + ki * dh;
                const q = j * sw - pl + kj * dw;
                if (r < 0 || r >= outH || q < 0 || q >= outW) continue;
                out[((b * cout + group * coutG + c) * outH + r) * outW + q] += x.get(b, ci, i, j) * weight.get(ci, c, ki, kj);
              }
            }
          }
        }
      }
    }
  }
  return out;
}

const dot = (a: Tensor, b: Tensor) => Array.from(a.data as Float64Array).reduce((s, v, i) => s + v * (b.data[i] as number), 0);
const tolerances = { float32: { rtol: 1e-5, atol: 1e-5 }, float64: { rtol: 1e-12, atol: 1e-12 } } as const;

describe("conv2d against direct cross-correlation", () => {
  for (const dtype of ["float32", "float64"] as FloatDType[]) {
    it.each(cases)(`${dtype}: $name`, ({ x: xShape, outChannels, kernel, options }) => {
      const g = new Generator(xShape.reduce((a, b) => a * 7 + b, 0));
      const x = g.normal(xShape, { dtype });
      const weight = g.normal([outChannels, xShape[1] / (options.groups ?? 1), ...kernel], { dtype });
      const bias = g.normal([outChannels], { dtype });
      const y = conv2d(x, weight, bias, options);
      const expected = naiveConv2d(x, weight, bias, options);
      expect(y.dtype).toBe(dtype);
      expect(y.shape).toEqual(expected.shape);
      assertAllClose(y.data as Float64Array, expected.values, tolerances[dtype]);
      assertAllClose(conv2d(x, weight, undefined, options).data as Float64Array, naiveConv2d(x, weight, undefined, options).values, tolerances[dtype]);
    });
  }
  it("computes a hand-checked example", () => {
    const x = arange(9, undefined, 1, "float64").reshape([1, 1, 3, 3]);
    expect(conv2d(x, ones([1, 1, 2, 2], "float64")).toNested()).toEqual([[[[8, 12], [20, 24]]]]);
    // Padding on top/left only, stride 2: windows at (-1, -1), (-1, 1), (1, -1), (1, 1).
    expect(conv2d(x, ones([1, 1, 2, 2], "float64"), tensor([0.5], { dtype: "float64" }), { padding: [1, 1, 0, 0], stride: [2, 2] }).toNested())
      .toEqual([[[[0.5, 3.5], [9.5, 24.5]]]]);
  });
});

describe("convTranspose2d", () => {
  for (const dtype of ["float32", "float64"] as FloatDType[]) {
    it.each(cases)(`${dtype}: $name is the adjoint of conv2d and matches a direct scatter`, ({ x: xShape, outChannels, kernel, options }) => {
      const g = new Generator(xShape.reduce((a, b) => a * 5 + b, 1));
      const u = g.normal(xShape, { dtype: "float64" });
      const weight = g.normal([outChannels, xShape[1] / (options.groups ?? 1), ...kernel], { dtype: "float64" });
      const y = conv2d(u, weight, undefined, options);
      const v = g.normal(y.shape, { dtype: "float64" });
      // Output padding that restores u's size: the rows conv2d's floor division dropped.
      const [sh, sw] = options.stride ?? [1, 1];
      const [pt, pl, pb, pr] = options.padding ?? [0, 0, 0, 0];
      const [dh, dw] = options.dilation ?? [1, 1];
      const outputPadding: [number, number] = [
        (xShape[2] + pt + pb - dh * (kernel[0] - 1) - 1) % sh,
        (xShape[3] + pl + pr - dw * (kernel[1] - 1) - 1) % sw,
      ];
      const back = convTranspose2d(v, weight, undefined, { ...options, outputPadding });
      expect(back.shape).toEqual(u.shape);
      expect(dot(back, u)).toBeCloseTo(dot(y, v), 10);

      const vd = v.astype(dtype);
      const wd = weight.astype(dtype);
      const bias = g.normal([xShape[1]], { dtype });
      const z = convTranspose2d(vd, wd, bias, { ...options, outputPadding });
      const scattered = naiveConvTranspose2d(vd, wd, options, xShape[2], xShape[3]);
      const planes = xShape[2] * xShape[3];
      const expected = scattered.map((s, i) => s + bias.get(Math.floor(i / planes) % xShape[1]));
      expect(z.dtype).toBe(dtype);
      assertAllClose(z.data as Float64Array, expected, tolerances[dtype]);
    });
  }
  it("computes hand-checked examples, including stride 2 with output padding", () => {
    const x = ones([1, 1, 2, 2], "float64");
    expect(convTranspose2d(x, ones([1, 1, 2, 2], "float64")).toNested()).toEqual([[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]);
    const y = convTranspose2d(tensor([[[[1, 2]]]], { dtype: "float64" }), tensor([[[[1, 10]]]], { dtype: "float64" }), undefined, {
      stride: [1, 3],
      outputPadding: [0, 2],
    });
    // Width (2 - 1) * 3 + 1 + 1 + 2 = 7: taps of input 1 at 0, 1; of input 2 at 3, 4; two padded zeros.
    expect(y.toNested()).toEqual([[[[1, 10, 0, 2, 20, 0, 0]]]]);
  });
});

describe("conv2d and convTranspose2d errors", () => {
  const x = zeros([1, 4, 5, 5]);
  it.each([
    ["groups not dividing channels", () => conv2d(x, zeros([3, 2, 3, 3]), undefined, { groups: 3 }), ValueError, /groups = 3 must divide the input channels \(4\)/],
    ["wrong weight channels", () => conv2d(x, zeros([2, 3, 3, 3])), ShapeError, /weight \[2, 3, 3, 3\] must be \[C_out, C_in \/ groups = 4, kH, kW\]/],
    ["bias of the wrong size", () => conv2d(x, zeros([2, 4, 3, 3]), zeros([3])), ShapeError, /bias must have shape \[2\], got \[3\]/],
    ["3-D input", () => conv2d(zeros([4, 5, 5]), zeros([2, 4, 3, 3])), ShapeError, /x must be \[N, C, H, W\]/],
    ["integer input", () => conv2d(tensor([1], { dtype: "int32" }) as never, zeros([1])), DTypeError, /x: expected dtype float32 or float64, got int32/],
    ["mixed dtypes", () => conv2d(x, zeros([2, 4, 3, 3], "float64") as never), DTypeError, /weight is float64 but x is float32/],
    ["kernel larger than the input", () => conv2d(x, zeros([2, 4, 6, 3])), ShapeError, /does not fit the padded input 5 x 5/],
    ["zero stride", () => conv2d(x, zeros([2, 4, 3, 3]), undefined, { stride: [0, 1] }), ValueError, /stride must be 2 positive integers/],
    ["negative padding", () => conv2d(x, zeros([2, 4, 3, 3]), undefined, { padding: [0, -1, 0, 0] }), ValueError, /padding must be 4 non-negative/],
    ["zero groups", () => conv2d(x, zeros([2, 4, 3, 3]), undefined, { groups: 0 }), ValueError, /groups must be a positive integer/],
    ["transposed: groups not dividing", () => convTranspose2d(x, zeros([4, 1, 2, 2]), undefined, { groups: 3 }), ValueError, /groups = 3 must divide/],
    ["transposed: weight rows", () => convTranspose2d(x, zeros([3, 1, 2, 2])), ShapeError, /must be \[C_in = 4, C_out \/ groups, kH, kW\]/],
    ["transposed: output padding too large", () => convTranspose2d(x, zeros([4, 1, 2, 2]), undefined, { stride: [2, 2], outputPadding: [2, 0] }), ValueError, /outputPadding must be/],
    ["transposed: empty output", () => convTranspose2d(zeros([1, 1, 1, 1]), zeros([1, 1, 1, 1]), undefined, { padding: [1, 0, 0, 0] }), ShapeError, /empty output/],
  ] as const)("%s", (_, run, type, message) => {
    expect(run).toThrow(type);
    expect(run).toThrow(message);
  });
});
