/** Conv and ConvTranspose over two spatial axes (NCHW). */
import { ShapeError } from "../../errors.js";
import { conv2d, convTranspose2d } from "../../kernels/index.js";
import { formatShape } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import type { Dim } from "../ir.js";
import { dimsMayBeEqual, multiplyDims, UNKNOWN_DIM } from "../symbolic-dim.js";
import { attributeError, type AttributeReader } from "./attributes.js";
import { defineOperator } from "./define-operator.js";
import { FLOAT_DTYPES, type InputSpec, type OperatorDefinition } from "./operator.js";
import {
  explicitPads, readWindow, requireNchw, sweepExtent, transposedAxisPads, transposedPads, WINDOW_ATTRIBUTES, type Window2d,
} from "./spatial-window.js";

type FloatTensor = Tensor<"float32" | "float64">;

const CONV_INPUTS: readonly InputSpec[] = [{ name: "X", type: "T" }, { name: "W", type: "T" }, { name: "B", type: "T", optional: true }];

const CONV_ATTRIBUTES = { ...WINDOW_ATTRIBUTES, dilations: { kind: "ints" }, group: { kind: "int", default: 1 } } as const;

function checkShapes(x: readonly Dim[], w: readonly Dim[], bias: readonly Dim[] | undefined, channels: Dim, outputChannels: Dim): void {
  requireNchw(x, 'input 0 ("X")');
  requireNchw(w, 'input 1 ("W")');
  if (!dimsMayBeEqual(x[1], channels)) {
    throw new ShapeError(`X ${formatShape(x)} has ${x[1]} channels, but W ${formatShape(w)} with this group expects ${channels}`);
  }
  if (bias !== undefined && (bias.length !== 1 || !dimsMayBeEqual(bias[0], outputChannels))) {
    throw new ShapeError(`B must be [${outputChannels}], one bias per output channel, got ${formatShape(bias)}`);
  }
}

function groupOf(attributes: AttributeReader): number {
  const group = attributes.int("group");
  if (group < 1) throw attributeError("group", `must be a positive integer, got ${group}`);
  return group;
}

const CONV = defineOperator({
  name: "Conv",
  inputs: CONV_INPUTS,
  typeConstraints: { T: FLOAT_DTYPES },
  attributes: CONV_ATTRIBUTES,
  inferTypes([x, w, b], attributes) {
    const group = groupOf(attributes);
    // W is [C_out, C_in / group, kH, kW].
    checkShapes(x!.shape, w!.shape, b?.shape, multiplyDims([w!.shape[1], group]), w!.shape[0]);
    if (typeof w!.shape[0] === "number" && w!.shape[0] % group !== 0) throw attributeError("group", `${group} does not divide the ${w!.shape[0]} output channels`);
    const window = readWindow(attributes, w!.shape.slice(2));
    const shape = [x!.shape[0], w!.shape[0], sweepExtent(window, x!.shape[2], 0), sweepExtent(window, x!.shape[3], 1)];
    return [{ dtype: x!.dtype, shape }];
  },
  evaluate([x, w, b], attributes) {
    const window = readWindow(attributes, w!.shape.slice(2));
    return [
      conv2d(x as FloatTensor, w as FloatTensor, b as FloatTensor | undefined, {
        stride: window.strides,
        dilation: window.dilations,
        padding: explicitPads(window, [x!.shape[2], x!.shape[3]]),
        groups: groupOf(attributes),
      }),
    ];
  },
});

/** ConvTranspose's `output_padding` and optional `output_shape` (spatial extents; a full NCHW shape is also accepted). */
function transposeExtras(attributes: AttributeReader): { outputPadding: [number, number]; outputShape?: [number, number] } {
  const padding = attributes.ints("output_padding", [0, 0]);
  if (padding.length !== 2 || padding.some((p) => p < 0)) {
    throw attributeError("output_padding", `must be 2 non-negative integers, got [${padding.join(", ")}]`);
  }
  if (!attributes.has("output_shape")) return { outputPadding: [padding[0], padding[1]] };
  const shape = attributes.ints("output_shape");
  if ((shape.length !== 2 && shape.length !== 4) || shape.some((d) => d < 1)) {
    throw attributeError("output_shape", `must be 2 positive spatial extents, got [${shape.join(", ")}]`);
  }
  const spatial = shape.slice(-2);
  return { outputPadding: [padding[0], padding[1]], outputShape: [spatial[0], spatial[1]] };
}

/** One spatial extent of ConvTranspose's output: `(in - 1) * stride + output_padding + span - pads`. */
function transposedExtent(window: Window2d, input: Dim, axis: 0 | 1, extras: ReturnType<typeof transposeExtras>): Dim {
  if (typeof input !== "number") {
    if (extras.outputShape !== undefined) return extras.outputShape[axis];
    return window.autoPad.startsWith("SAME") ? multiplyDims([input, window.strides[axis]]) : UNKNOWN_DIM;
  }
  const [begin, end] = transposedAxisPads(window, axis, input, extras.outputPadding[axis], extras.outputShape?.[axis]);
  const span = (window.kernel[axis] - 1) * window.dilations[axis] + 1;
  const extent = (input - 1) * window.strides[axis] + extras.outputPadding[axis] + span - begin - end;
  if (extent < 1) throw new ShapeError(`spatial axis ${axis} of the output would have extent ${extent}`);
  return extent;
}

const CONV_TRANSPOSE = defineOperator({
  name: "ConvTranspose",
  inputs: CONV_INPUTS,
  typeConstraints: { T: FLOAT_DTYPES },
  attributes: { ...CONV_ATTRIBUTES, output_padding: { kind: "ints" }, output_shape: { kind: "ints" } },
  inferTypes([x, w, b], attributes) {
    const group = groupOf(attributes);
    // W is [C_in, C_out / group, kH, kW].
    const outputChannels = multiplyDims([w!.shape[1], group]);
    checkShapes(x!.shape, w!.shape, b?.shape, w!.shape[0], outputChannels);
    if (typeof w!.shape[0] === "number" && w!.shape[0] % group !== 0) throw attributeError("group", `${group} does not divide the ${w!.shape[0]} input channels`);
    const window = readWindow(attributes, w!.shape.slice(2));
    const extras = transposeExtras(attributes);
    const shape = [x!.shape[0], outputChannels, transposedExtent(window, x!.shape[2], 0, extras), transposedExtent(window, x!.shape[3], 1, extras)];
    return [{ dtype: x!.dtype, shape }];
  },
  evaluate([x, w, b], attributes) {
    const window = readWindow(attributes, w!.shape.slice(2));
    const extras = transposeExtras(attributes);
    return [
      convTranspose2d(x as FloatTensor, w as FloatTensor, b as FloatTensor | undefined, {
        stride: window.strides,
        dilation: window.dilations,
        padding: transposedPads(window, [x!.shape[2], x!.shape[3]], extras.outputPadding, extras.outputShape),
        outputPadding: extras.outputPadding,
        groups: groupOf(attributes),
      }),
    ];
  },
});

/** Conv and ConvTranspose. */
export const CONV_OPERATORS: readonly OperatorDefinition[] = [CONV, CONV_TRANSPOSE];
