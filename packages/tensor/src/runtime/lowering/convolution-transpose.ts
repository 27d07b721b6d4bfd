/**
 * ConvTranspose as a convolution: for float64 on ORT's CPU provider, which
 * has no float64 ConvTranspose kernel, and on onnxruntime-web's WebGPU
 * provider, whose kernel computes several configurations wrongly. A transposed convolution is the convolution of the
 * input with zeros inserted between its elements (stride - 1 per gap),
 * padded by `span - 1 - pads` (so negative amounts crop), with the kernel
 * flipped and its channel axes swapped, at stride 1 (Dumoulin & Visin, "A
 * guide to convolution arithmetic for deep learning", 2016, section 4).
 */
import { sizeOf } from "../../shape.js";
import type { Node } from "../../graph/ir.js";
import { emitConvolution, staticTail } from "./convolution.js";
import type { Lowering, NodeEmitter } from "./node-emitter.js";
import { intAttribute, intsAttribute, span, stringAttribute, type WindowGeometry } from "./window-geometry.js";

/** Pads and output extents of a ConvTranspose node, by the ONNX operator definition. */
function transposeGeometry(node: Node, spatial: readonly number[], kernel: readonly number[]) {
  const rank = spatial.length;
  const ones = spatial.map(() => 1);
  const zeros = spatial.map(() => 0);
  const strides = intsAttribute(node, "strides", ones);
  const dilations = intsAttribute(node, "dilations", ones);
  const outputPadding = intsAttribute(node, "output_padding", zeros);
  const autoPad = stringAttribute(node, "auto_pad", "NOTSET");
  const fullExtent = spatial.map((s, i) => strides[i] * (s - 1) + outputPadding[i] + span(kernel[i], dilations[i]));
  let requested = intsAttribute(node, "output_shape", []);
  if (requested.length === rank + 2) requested = requested.slice(2);
  if (requested.length === 0 && (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER")) {
    requested = spatial.map((s, i) => s * strides[i]);
  }
  let padsBegin: number[];
  let padsEnd: number[];
  if (requested.length > 0) {
    // The total padding that yields the requested extent, split as the ONNX
    // text says and onnxruntime 1.30's CPU kernel does (checked in
    // operator-parity.test.ts): an odd element is cropped at the end for
    // SAME_UPPER and at the beginning otherwise.
    const totals = fullExtent.map((full, i) => Math.max(0, full - requested[i]));
    const halves = totals.map((t) => Math.floor(t / 2));
    padsBegin = autoPad === "SAME_UPPER" ? halves : totals.map((t, i) => t - halves[i]);
    padsEnd = autoPad === "SAME_UPPER" ? totals.map((t, i) => t - halves[i]) : halves;
  } else {
    const pads = autoPad === "VALID" ? [...zeros, ...zeros] : intsAttribute(node, "pads", [...zeros, ...zeros]);
    padsBegin = pads.slice(0, rank);
    padsEnd = pads.slice(rank);
  }
  const output = fullExtent.map((full, i) => full - padsBegin[i] - padsEnd[i]);
  return { strides, dilations, outputPadding, padsBegin, padsEnd, output };
}

/**
 * Emits `x` with `stride - 1` zeros after every element along each spatial
 * axis: Reshape to `[N, C, S1, 1, S2, 1, ...]`, Pad the unit axes at their
 * end, Reshape back to `[N, C, S1 * s1, S2 * s2, ...]`.
 */
function emitZeroInsertion(emitter: NodeEmitter, x: string, channels: number, spatial: readonly number[], strides: readonly number[]): string {
  const interleaved = emitter.emit("Reshape", [x, emitter.int64("interleaved_shape", [-1, channels, ...spatial.flatMap((s) => [s, 1])])]);
  const before = [0, 0, ...spatial.flatMap(() => [0, 0])];
  const after = [0, 0, ...strides.flatMap((s) => [0, s - 1])];
  const padded = emitter.emit("Pad", [interleaved, emitter.int64("gaps", [...before, ...after])]);
  return emitter.emit("Reshape", [padded, emitter.int64("dilated_shape", [-1, channels, ...spatial.map((s, i) => s * strides[i])])]);
}

/**
 * ConvTranspose's weight `[C, Mg, ...kernel]` as the `[g, Cg * kernel, Mg]`
 * matrices of the equivalent convolution: kernel flipped (reversing the
 * flattened kernel axis flips every spatial axis), channel axes swapped.
 */
function flippedWeightMatrix(emitter: NodeEmitter, weight: string, channels: number, groupOut: number, groups: number, kernelSize: number): string {
  const flat = emitter.emit("Reshape", [weight, emitter.int64("weight_flat", [channels, groupOut, kernelSize])]);
  const reversed = emitter.int64("reversed_kernel", Array.from({ length: kernelSize }, (_, k) => kernelSize - 1 - k));
  const flipped = emitter.emit("Gather", [flat, reversed], { axis: 2 });
  const grouped = emitter.emit("Reshape", [flipped, emitter.int64("weight_groups", [groups, channels / groups, groupOut, kernelSize])]);
  const rowsFirst = emitter.emit("Transpose", [grouped], { perm: [0, 1, 3, 2] });
  return emitter.emit("Reshape", [rowsFirst, emitter.int64("weight_matrix", [groups, (channels / groups) * kernelSize, groupOut])]);
}

/** ConvTranspose (any number of spatial axes, groups, strides, dilations, pads, output_padding, output_shape, auto_pad, bias). */
export const lowerConvTranspose: Lowering = (node, emitter, context) => {
  const [x, weight, bias] = node.inputs;
  const [channels, ...spatial] = staticTail(emitter.typeOf(x), 1, `input "${x}" (all but the batch axis)`, context);
  const [, groupOut, ...weightKernel] = staticTail(emitter.typeOf(weight), 0, `weight "${weight}"`, context);
  const kernel = intsAttribute(node, "kernel_shape", weightKernel);
  const groups = intAttribute(node, "group", 1);
  const { strides, dilations, padsBegin, output } = transposeGeometry(node, spatial, kernel);
  const dilatedInput = strides.some((s) => s > 1) ? emitZeroInsertion(emitter, x, channels, spatial, strides) : x;
  const extents = spatial.map((s, i) => s * strides[i]);
  const geometry: WindowGeometry = {
    kernel,
    strides: spatial.map(() => 1),
    dilations,
    padsBegin: kernel.map((k, i) => span(k, dilations[i]) - 1 - padsBegin[i]),
    // Only the output extent matters downstream; this records the equivalent end padding.
    padsEnd: kernel.map((k, i) => output[i] - 1 + span(k, dilations[i]) - extents[i] - (span(k, dilations[i]) - 1 - padsBegin[i])),
    output,
  };
  emitConvolution(emitter, {
    x: dilatedInput,
    channels,
    spatial: extents,
    geometry,
    groups,
    outChannels: groupOut * groups,
    weightMatrix: flippedWeightMatrix(emitter, weight, channels, groupOut, groups, sizeOf(kernel)),
    bias: bias === undefined || bias === "" ? undefined : bias,
    output: node.outputs[0],
  });
};
