import { describe, expect, it } from "vitest";
import { GraphError, ShapeError } from "../../errors.js";
import { Generator } from "../../random.js";
import { Tensor } from "../../tensor.js";
import { assertAllClose } from "../../test/all-close.js";
import type { AttributeValue, Dim, ValueType } from "../ir.js";
import { UNKNOWN_DIM } from "../symbolic-dim.js";
import { getOperator } from "./index.js";

const f64 = (...shape: Dim[]): ValueType => ({ dtype: "float64", shape });
const random = (shape: number[], seed: number) => new Generator(seed).normal(shape, { dtype: "float64" });

type Pads = [number, number, number, number];

/** Direct-loop cross-correlation: the textbook sum, independent of the im2col kernel. */
function naiveConv(x: Tensor, w: Tensor, pads: Pads, strides: number[], dilations: number[], group: number): Tensor {
  const [n, c, h, wd] = x.shape;
  const [m, cg, kh, kw] = w.shape;
  const outH = Math.floor((h + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) / strides[0]) + 1;
  const outW = Math.floor((wd + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) / strides[1]) + 1;
  const out = new Tensor("float64", [n, m, outH, outW]);
  const perGroup = m / group;
  for (let b = 0; b < n; b++) for (let o = 0; o < m; o++) for (let i = 0; i < outH; i++) for (let j = 0; j < outW; j++) {
    let s = 0;
    const g = Math.floor(o / perGroup);
    for (let k = 0; k < cg; k++) for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) {
      const y = i * strides[0] - pads[0] + p * dilations[0];
      const z = j * strides[1] - pads[1] + q * dilations[1];
      if (y >= 0 && y < h && z >= 0 && z < wd) s += x.get(b, g * cg + k, y, z) * w.get(o, k, p, q);
    }
    out.data[((b * m + o) * outH + i) * outW + j] = s;
  }
  expect(c).toBe(cg * group);
  return out;
}

describe("Conv", () => {
  it.each<[string, Dim[], Dim[], Record<string, AttributeValue>, Dim[]]>([
    ["defaults", ["batch", 3, 8, 8], [4, 3, 3, 3], {}, ["batch", 4, 6, 6]],
    ["pads", ["batch", 3, 8, 8], [4, 3, 3, 3], { pads: [1, 1, 1, 1] }, ["batch", 4, 8, 8]],
    ["strides", ["batch", 3, 8, 8], [4, 3, 3, 3], { strides: [2, 2] }, ["batch", 4, 3, 3]],
    ["SAME_UPPER with stride 2", ["batch", 3, 8, 7], [4, 3, 3, 3], { auto_pad: "SAME_UPPER", strides: [2, 2] }, ["batch", 4, 4, 4]],
    ["VALID", ["batch", 3, 8, 8], [4, 3, 3, 3], { auto_pad: "VALID", strides: [2, 1] }, ["batch", 4, 3, 6]],
    ["dilations", ["batch", 3, 8, 8], [4, 3, 3, 3], { dilations: [2, 2] }, ["batch", 4, 4, 4]],
    ["groups", ["batch", 6, 5, 5], [4, 3, 1, 1], { group: 2 }, ["batch", 4, 5, 5]],
    ["symbolic spatial, stride 1", ["batch", 3, "h", "w"], [4, 3, 3, 3], { pads: [1, 1, 1, 1] }, ["batch", 4, "h", "w"]],
    ["symbolic spatial, no pads", ["batch", 3, "h", 8], [4, 3, 3, 3], {}, ["batch", 4, "h-2", 6]],
    ["symbolic spatial, SAME stride 1", ["batch", 3, "h", "w"], [4, 3, 3, 3], { auto_pad: "SAME_LOWER" }, ["batch", 4, "h", "w"]],
    ["symbolic spatial, stride 2", ["batch", 3, "h", 8], [4, 3, 3, 3], { strides: [2, 2] }, ["batch", 4, UNKNOWN_DIM, 3]],
  ])("infers %s", (_what, x, w, attributes, expected) => {
    expect(getOperator("Conv").inferTypes([f64(...x), f64(...w)], attributes)).toEqual([f64(...expected)]);
  });

  it.each<[string, number[], number[], Record<string, AttributeValue>, Pads, number[], number[], number]>([
    ["explicit pads and bias", [2, 3, 5, 6], [4, 3, 3, 2], { pads: [1, 0, 2, 1] }, [1, 0, 2, 1], [1, 1], [1, 1], 1],
    ["SAME_UPPER, odd total (extra at the end)", [1, 2, 6, 6], [3, 2, 3, 3], { auto_pad: "SAME_UPPER", strides: [2, 2] }, [0, 0, 1, 1], [2, 2], [1, 1], 1],
    ["SAME_LOWER, odd total (extra at the start)", [1, 2, 6, 6], [3, 2, 3, 3], { auto_pad: "SAME_LOWER", strides: [2, 2] }, [1, 1, 0, 0], [2, 2], [1, 1], 1],
    ["SAME_UPPER, even total", [1, 2, 5, 5], [3, 2, 3, 3], { auto_pad: "SAME_UPPER" }, [1, 1, 1, 1], [1, 1], [1, 1], 1],
    ["dilation and stride", [1, 2, 9, 8], [2, 2, 3, 2], { dilations: [2, 3], strides: [2, 1] }, [0, 0, 0, 0], [2, 1], [2, 3], 1],
    ["groups", [2, 4, 4, 4], [6, 2, 2, 2], { group: 2, pads: [1, 1, 1, 1] }, [1, 1, 1, 1], [1, 1], [1, 1], 2],
  ])("evaluates %s like the direct sum", (_what, xShape, wShape, attributes, pads, strides, dilations, group) => {
    const x = random(xShape, 1);
    const w = random(wShape, 2);
    const [y] = getOperator("Conv").evaluate([x, w], attributes);
    assertAllClose(y, naiveConv(x, w, pads, strides, dilations, group));
    const bias = random([wShape[0]], 3);
    const [withBias] = getOperator("Conv").evaluate([x, w, bias], attributes);
    const expected = naiveConv(x, w, pads, strides, dilations, group);
    const planeSize = expected.shape[2] * expected.shape[3];
    const values = expected.data as Float64Array;
    values.forEach((v, i) => (values[i] = v + (bias.data as Float64Array)[Math.floor(i / planeSize) % wShape[0]]));
    assertAllClose(withBias, expected);
    expect(getOperator("Conv").inferTypes([f64(...xShape), f64(...wShape)], attributes)[0].shape).toEqual(y.shape);
  });

  it.each<[string, Dim[], Dim[], Record<string, AttributeValue>, string]>([
    ["a 1-D convolution", [1, 3, 8], [4, 3, 3], {}, 'input 0 ("X") must be [N, C, H, W] (only 2-D spatial operators are supported), got [1, 3, 8]'],
    ["mismatched channels", [1, 3, 8, 8], [4, 2, 3, 3], {}, "has 3 channels, but W [4, 2, 3, 3] with this group expects 2"],
    ["a kernel_shape unlike W", [1, 3, 8, 8], [4, 3, 3, 3], { kernel_shape: [2, 2] }, 'attribute "kernel_shape" [2, 2] differs from the weight'],
    ["an unknown auto_pad", [1, 3, 8, 8], [4, 3, 3, 3], { auto_pad: "SAME" }, 'attribute "auto_pad" must be one of NOTSET, SAME_UPPER, SAME_LOWER, VALID'],
    ["pads with auto_pad", [1, 3, 8, 8], [4, 3, 3, 3], { auto_pad: "VALID", pads: [1, 1, 1, 1] }, 'attribute "pads" cannot be given together with auto_pad VALID'],
    ["3 strides", [1, 3, 8, 8], [4, 3, 3, 3], { strides: [1, 1, 1] }, 'attribute "strides" must be 2 integers'],
    ["a group not dividing the outputs", [1, 4, 8, 8], [3, 2, 3, 3], { group: 2 }, 'attribute "group" 2 does not divide the 3 output channels'],
    ["a kernel larger than the input", [1, 3, 2, 2], [4, 3, 3, 3], {}, "does not fit spatial axis 0"],
  ])("rejects %s", (_what, x, w, attributes, message) => {
    expect(() => getOperator("Conv").inferTypes([f64(...x), f64(...w)], attributes)).toThrow(message);
  });

  it("rejects a bias of the wrong length with a ShapeError", () => {
    expect(() => getOperator("Conv").inferTypes([f64(1, 3, 8, 8), f64(4, 3, 3, 3), f64(3)])).toThrow(ShapeError);
  });
});

/** Direct scatter form of the transposed convolution, cropped by the pads. */
function naiveConvTranspose(x: Tensor, w: Tensor, pads: Pads, strides: number[], outputPadding: number[], group: number): Tensor {
  const [n, c, h, wd] = x.shape;
  const [, mg, kh, kw] = w.shape;
  const m = mg * group;
  const outH = (h - 1) * strides[0] + kh + outputPadding[0] - pads[0] - pads[2];
  const outW = (wd - 1) * strides[1] + kw + outputPadding[1] - pads[1] - pads[3];
  const out = new Tensor("float64", [n, m, outH, outW]);
  const cg = c / group;
  for (let b = 0; b < n; b++) for (let k = 0; k < c; k++) for (let i = 0; i < h; i++) for (let j = 0; j < wd; j++) {
    const g = Math.floor(k / cg);
    for (let o = 0; o < mg; o++) for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) {
      const y = i * strides[0] - pads[0] + p;
      const z = j * strides[1] - pads[1] + q;
      if (y >= 0 && y < outH && z >= 0 && z < outW) out.data[((b * m + g * mg + o) * outH + y) * outW + z] += x.get(b, k, i, j) * w.get(k, o, p, q);
    }
  }
  return out;
}

describe("ConvTranspose", () => {
  it.each<[string, Dim[], Dim[], Record<string, AttributeValue>, Dim[]]>([
    ["defaults", ["batch", 3, 4, 4], [3, 2, 3, 3], {}, ["batch", 2, 6, 6]],
    ["stride, pads, output_padding", ["batch", 3, 4, 4], [3, 2, 3, 3], { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] }, ["batch", 2, 8, 8]],
    ["groups", ["batch", 4, 4, 4], [4, 3, 2, 2], { group: 2 }, ["batch", 6, 5, 5]],
    ["output_shape", ["batch", 3, 4, 4], [3, 2, 3, 3], { strides: [2, 2], output_shape: [8, 7] }, ["batch", 2, 8, 7]],
    ["SAME_UPPER", ["batch", 3, 4, 5], [3, 2, 3, 3], { auto_pad: "SAME_UPPER", strides: [2, 2] }, ["batch", 2, 8, 10]],
    ["SAME, symbolic", ["batch", 3, "h", 5], [3, 2, 3, 3], { auto_pad: "SAME_LOWER", strides: [2, 2] }, ["batch", 2, "h*2", 10]],
  ])("infers %s", (_what, x, w, attributes, expected) => {
    expect(getOperator("ConvTranspose").inferTypes([f64(...x), f64(...w)], attributes)).toEqual([f64(...expected)]);
  });

  it.each<[string, number[], number[], Record<string, AttributeValue>, Pads, number[], number]>([
    ["defaults", [2, 3, 3, 4], [3, 2, 3, 2], {}, [0, 0, 0, 0], [0, 0], 1],
    ["stride, pads, output_padding", [1, 2, 3, 3], [2, 2, 3, 3], { strides: [2, 2], pads: [1, 0, 1, 2], output_padding: [1, 1] }, [1, 0, 1, 2], [1, 1], 1],
    // Total padding 2 * (4 - 1) + 3 - 8 = 1 per axis: the odd cell goes to the end for SAME_UPPER, else to the start.
    ["SAME_UPPER (odd total at the end)", [1, 2, 4, 4], [2, 1, 3, 3], { auto_pad: "SAME_UPPER", strides: [2, 2] }, [0, 0, 1, 1], [0, 0], 1],
    ["SAME_LOWER (odd total at the start)", [1, 2, 4, 4], [2, 1, 3, 3], { auto_pad: "SAME_LOWER", strides: [2, 2] }, [1, 1, 0, 0], [0, 0], 1],
    // Totals 9 - 7 = 2 and 9 - 8 = 1.
    ["output_shape", [1, 2, 4, 4], [2, 1, 3, 3], { strides: [2, 2], output_shape: [7, 8] }, [1, 1, 1, 0], [0, 0], 1],
    ["groups", [1, 4, 3, 3], [4, 2, 2, 2], { group: 2 }, [0, 0, 0, 0], [0, 0], 2],
  ])("evaluates %s like the direct scatter", (_what, xShape, wShape, attributes, pads, outputPadding, group) => {
    const x = random(xShape, 4);
    const w = random(wShape, 5);
    const strides = (attributes.strides as number[]) ?? [1, 1];
    const [y] = getOperator("ConvTranspose").evaluate([x, w], attributes);
    assertAllClose(y, naiveConvTranspose(x, w, pads, strides, outputPadding, group));
    expect(getOperator("ConvTranspose").inferTypes([f64(...xShape), f64(...wShape)], attributes)[0].shape).toEqual(y.shape);
  });

  it("rejects an output_shape the sweep cannot reach", () => {
    expect(() => getOperator("ConvTranspose").inferTypes([f64(1, 3, 4, 4), f64(3, 2, 3, 3)], { output_shape: [20, 20] }))
      .toThrow(GraphError);
  });
});
