import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { Generator } from "../random.js";
import { arange, ones, tensor, zeros, type Tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { fold, unfold, type UnfoldOptions } from "./unfold.js";

const cases: { x: [number, number, number, number]; kernel: [number, number]; options: UnfoldOptions }[] = [
  { x: [2, 3, 4, 5], kernel: [2, 2], options: {} },
  { x: [1, 2, 6, 5], kernel: [3, 2], options: { stride: [2, 1], padding: [1, 0, 2, 1] } },
  { x: [2, 1, 7, 7], kernel: [2, 3], options: { stride: [3, 2], padding: [0, 2, 1, 0], dilation: [2, 2] } },
  { x: [1, 2, 3, 3], kernel: [1, 1], options: {} },
  { x: [1, 1, 2, 2], kernel: [3, 3], options: { padding: [1, 1, 1, 1] } },
];

/** F.unfold by definition: entry [n, (c, ki, kj), (oh, ow)] is x at the tap's position, 0 in the padding. */
function naiveUnfold(x: Tensor, [kh, kw]: [number, number], options: UnfoldOptions): { shape: number[]; values: number[] } {
  const [n, c, h, w] = x.shape;
  const [sh, sw] = options.stride ?? [1, 1];
  const [pt, pl, pb, pr] = options.padding ?? [0, 0, 0, 0];
  const [dh, dw] = options.dilation ?? [1, 1];
  const oh = Math.floor((h + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((w + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  const values: number[] = [];
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let ki = 0; ki < kh; ki++)
        for (let kj = 0; kj < kw; kj++)
          for (let i = 0; i < oh; i++)
            for (let j = 0; j < ow; j++) {
              const r = i * sh - pt + ki * dh;
              const q = j * sw - pl + kj * dw;
              values.push(r >= 0 && r < h && q >= 0 && q < w ? x.get(b, ch, r, q) : 0);
            }
  return { shape: [n, c * kh * kw, oh * ow], values };
}

describe("unfold", () => {
  for (const dtype of ["float32", "float64"] as const) {
    it.each(cases)(`${dtype}: x $x, kernel $kernel, options $options matches the definition`, ({ x: shape, kernel, options }) => {
      const x = new Generator(3).normal(shape, { dtype });
      const y = unfold(x, kernel, options);
      const expected = naiveUnfold(x, kernel, options);
      expect(y.dtype).toBe(dtype);
      expect(y.shape).toEqual(expected.shape);
      expect(Array.from(y.data as Float64Array)).toEqual(expected.values);
    });
  }
  it("lays out rows (c, ki, kj) and columns (row, column) of windows as F.unfold", () => {
    expect(unfold(arange(9).reshape([1, 1, 3, 3]), [2, 2]).toNested()).toEqual([[[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]]]);
  });
});

describe("fold", () => {
  for (const dtype of ["float32", "float64"] as const) {
    it.each(cases)(`${dtype}: x $x, kernel $kernel, options $options is the adjoint of unfold`, ({ x: shape, kernel, options }) => {
      const g = new Generator(8);
      const x = g.normal(shape, { dtype });
      const columns = g.normal(unfold(x, kernel, options).shape, { dtype });
      const folded = fold(columns, [shape[2], shape[3]], kernel, options);
      expect(folded.shape).toEqual(shape);
      expect(folded.dtype).toBe(dtype);
      // <unfold(x), y> = <x, fold(y)>
      const dot = (a: Tensor, b: Tensor) => Array.from(a.data as Float64Array).reduce((s, v, i) => s + v * (b.data[i] as number), 0);
      const lhs = dot(unfold(x, kernel, options), columns);
      assertAllClose([dot(x, folded)], [lhs], dtype === "float32" ? { rtol: 1e-5, atol: 1e-5 } : { rtol: 1e-12, atol: 1e-12 });
    });
  }
  it("sums overlapping windows (coverage counts of ones)", () => {
    expect(fold(ones([1, 4, 4], "float64"), [3, 3], [2, 2]).toNested()).toEqual([[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]);
    // Stride 2 with padding 1: windows cover each position exactly once, so fold(unfold(x)) = x.
    const x = arange(16, undefined, 1, "float64").reshape([1, 1, 4, 4]);
    const options = { stride: [2, 2], padding: [1, 1, 1, 1] } as const;
    expect(fold(unfold(x, [2, 2], options), [4, 4], [2, 2], options).toArray()).toEqual(x.toArray());
  });
  it("rejects columns whose window count or row count does not fit", () => {
    expect(() => fold(zeros([1, 4, 5]), [3, 3], [2, 2])).toThrow(/fold: columns has L = 5 windows but output size \[3, 3\] .* has 2 x 2 = 4/);
    expect(() => fold(zeros([1, 6, 4]), [3, 3], [2, 2])).toThrow(/not a multiple of kH \* kW = 4/);
    expect(() => fold(zeros([4, 4]), [3, 3], [2, 2])).toThrow(ShapeError);
    expect(() => fold(zeros([1, 4, 4]), [0, 3], [2, 2])).toThrow(/outputSize must be two positive integers/);
  });
});

describe("unfold errors", () => {
  it("names the argument and what was expected", () => {
    expect(() => unfold(zeros([3, 3]), [2, 2])).toThrow(/unfold: argument x must be \[N, C, H, W\], got shape \[3, 3\]/);
    expect(() => unfold(tensor([[[[1]]]], { dtype: "int32" }) as never, [1, 1])).toThrow(DTypeError);
    expect(() => unfold(zeros([1, 1, 3, 3]), [0, 2])).toThrow(ValueError);
    expect(() => unfold(zeros([1, 1, 3, 3]), [2, 2], { dilation: [1, 1.5] as never })).toThrow(/dilation must be 2 positive integers/);
    expect(() => unfold(zeros([1, 1, 3, 3]), [4, 2])).toThrow(/does not fit the padded input 3 x 3/);
  });
});
