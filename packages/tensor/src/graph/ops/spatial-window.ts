/**
 * The window geometry shared by Conv, ConvTranspose, MaxPool and
 * AveragePool: reading the attributes, turning `auto_pad` into explicit pads
 * (in this one place), and the output extent of a window sweep, symbolic or not.
 */
import { GraphError } from "../../errors.js";
import { formatShape } from "../../shape.js";
import type { Dim } from "../ir.js";
import { addDims, UNKNOWN_DIM } from "../symbolic-dim.js";
import { attributeError, type AttributeReader } from "./attributes.js";
import type { AttributeSpec } from "./operator.js";

/** Pads in ONNX order for two spatial axes: `[top, left, bottom, right]`. */
export type Pads2d = [number, number, number, number];
type Pair = [number, number];

/** ONNX's `auto_pad` values. */
export const AUTO_PAD_MODES = ["NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"] as const;
export type AutoPad = (typeof AUTO_PAD_MODES)[number];

/** The window attributes of Conv and the pooling operators, with opset-17 defaults. */
export const WINDOW_ATTRIBUTES: Readonly<Record<string, AttributeSpec>> = {
  auto_pad: { kind: "string", default: "NOTSET", oneOf: AUTO_PAD_MODES },
  kernel_shape: { kind: "ints" },
  pads: { kind: "ints" },
  strides: { kind: "ints" },
};

/** A window sweep over two spatial axes, attributes checked and defaults filled in. */
export interface Window2d {
  readonly kernel: Pair;
  readonly strides: Pair;
  readonly dilations: Pair;
  readonly autoPad: AutoPad;
  /** The `pads` attribute (used when `autoPad` is NOTSET). */
  readonly pads: Pads2d;
}

/** Throws unless `x` is NCHW: only 2-D spatial windows are supported. */
export function requireNchw(shape: readonly Dim[], what: string): void {
  if (shape.length !== 4) {
    throw new GraphError(`${what} must be [N, C, H, W] (only 2-D spatial operators are supported), got ${formatShape(shape)}`);
  }
}

function pairOf(attributes: AttributeReader, name: string, fallback: Pair, min: number): Pair {
  const values = attributes.ints(name, fallback);
  if (values.length !== 2 || values.some((v) => v < min)) {
    throw attributeError(name, `must be 2 integers of at least ${min} (2-D), got [${values.join(", ")}]`);
  }
  return [values[0], values[1]];
}

/**
 * Reads `kernel_shape`, `strides`, `dilations`, `pads` and `auto_pad`.
 * `kernel` is the kernel's spatial extents when known from the weight (Conv);
 * a `kernel_shape` attribute must then agree with it.
 */
export function readWindow(attributes: AttributeReader, kernel?: readonly Dim[]): Window2d {
  const known = kernel?.every((d) => typeof d === "number") ? (kernel as Pair) : undefined;
  if (!attributes.has("kernel_shape") && known === undefined) throw attributeError("kernel_shape", "is required but missing");
  const kernelShape = pairOf(attributes, "kernel_shape", known ?? [1, 1], 1);
  if (known !== undefined && (kernelShape[0] !== known[0] || kernelShape[1] !== known[1])) {
    throw attributeError("kernel_shape", `[${kernelShape.join(", ")}] differs from the weight's spatial extents [${known.join(", ")}]`);
  }
  const pads = attributes.ints("pads", [0, 0, 0, 0]);
  if (pads.length !== 4 || pads.some((p) => p < 0)) {
    throw attributeError("pads", `must be 4 non-negative integers [top, left, bottom, right], got [${pads.join(", ")}]`);
  }
  const autoPad = attributes.string("auto_pad") as AutoPad;
  if (autoPad !== "NOTSET" && attributes.has("pads")) throw attributeError("pads", `cannot be given together with auto_pad ${autoPad}`);
  return {
    kernel: kernelShape,
    strides: pairOf(attributes, "strides", [1, 1], 1),
    dilations: attributes.has("dilations") ? pairOf(attributes, "dilations", [1, 1], 1) : [1, 1],
    autoPad,
    pads: [pads[0], pads[1], pads[2], pads[3]],
  };
}

/** The span of a dilated kernel along an axis. */
function reach(window: Window2d, axis: 0 | 1): number {
  return (window.kernel[axis] - 1) * window.dilations[axis] + 1;
}

/**
 * Explicit `[begin, end]` pads of one spatial axis for a forward sweep.
 * SAME_* pads so that the output is `ceil(input / stride)`, splitting an odd
 * total with the extra cell at the end (SAME_UPPER) or the beginning (SAME_LOWER).
 */
function axisPads(window: Window2d, axis: 0 | 1, input: number): [number, number] {
  if (window.autoPad === "NOTSET") return [window.pads[axis], window.pads[axis + 2]];
  if (window.autoPad === "VALID") return [0, 0];
  const output = Math.ceil(input / window.strides[axis]);
  const total = Math.max(0, (output - 1) * window.strides[axis] + reach(window, axis) - input);
  const small = Math.floor(total / 2);
  return window.autoPad === "SAME_UPPER" ? [small, total - small] : [total - small, small];
}

/** Explicit pads `[top, left, bottom, right]` for a forward sweep over an `[H, W]` input (see {@link axisPads}). */
export function explicitPads(window: Window2d, spatial: readonly [number, number]): Pads2d {
  const [top, bottom] = axisPads(window, 0, spatial[0]);
  const [left, right] = axisPads(window, 1, spatial[1]);
  return [top, left, bottom, right];
}

/**
 * The number of window positions along a spatial axis. In ceil mode the last
 * window must still start inside the input or the leading pads (the rule
 * ONNX and ONNX Runtime adopted from PyTorch). A symbolic input extent gives
 * a symbolic output where it is affine (stride 1, or SAME padding with stride
 * 1), else an unknown one.
 */
export function sweepExtent(window: Window2d, input: Dim, axis: 0 | 1, ceilMode = false): Dim {
  const stride = window.strides[axis];
  if (typeof input !== "number") {
    if (stride !== 1) return UNKNOWN_DIM;
    if (window.autoPad === "SAME_UPPER" || window.autoPad === "SAME_LOWER") return input;
    const pads = window.autoPad === "VALID" ? 0 : window.pads[axis] + window.pads[axis + 2];
    return addDims([input, pads - reach(window, axis) + 1]);
  }
  const [before, after] = axisPads(window, axis, input);
  const span = input + before + after - reach(window, axis);
  let count = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceilMode && (count - 1) * stride >= input + before) count--;
  if (count < 1) {
    throw new GraphError(`the window (span ${reach(window, axis)}) does not fit spatial axis ${axis} of extent ${input} padded by ${before} + ${after}`);
  }
  return count;
}

/**
 * ConvTranspose's `[begin, end]` pads of one spatial axis. With
 * `output_shape` the pads are whatever makes the output that size; with
 * SAME_* the output is `input * stride`. As the ONNX text says (and ONNX
 * Runtime 1.30's CPU provider does; older releases differed), an odd total
 * puts the extra cell at the end for SAME_UPPER and at the beginning
 * otherwise, including for an explicit `output_shape`.
 */
export function transposedAxisPads(
  window: Window2d,
  axis: 0 | 1,
  input: number,
  outputPadding: number,
  outputShape: number | undefined,
): [number, number] {
  if (outputShape === undefined && (window.autoPad === "NOTSET" || window.autoPad === "VALID")) {
    return window.autoPad === "VALID" ? [0, 0] : [window.pads[axis], window.pads[axis + 2]];
  }
  const target = outputShape ?? input * window.strides[axis];
  const natural = (input - 1) * window.strides[axis] + outputPadding + reach(window, axis);
  const total = natural - target;
  if (total < 0) throw attributeError("output_shape", `asks for extent ${target} on spatial axis ${axis}, more than the ${natural} the window sweep gives`);
  const small = Math.floor(total / 2);
  return window.autoPad === "SAME_UPPER" ? [small, total - small] : [total - small, small];
}

/** ConvTranspose's pads `[top, left, bottom, right]` (see {@link transposedAxisPads}). */
export function transposedPads(
  window: Window2d,
  spatial: readonly [number, number],
  outputPadding: readonly [number, number],
  outputShape: readonly [number, number] | undefined,
): Pads2d {
  const [top, bottom] = transposedAxisPads(window, 0, spatial[0], outputPadding[0], outputShape?.[0]);
  const [left, right] = transposedAxisPads(window, 1, spatial[1], outputPadding[1], outputShape?.[1]);
  return [top, left, bottom, right];
}
