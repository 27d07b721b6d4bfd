/**
 * The geometry of sliding windows over the spatial axes of an NCHW-style
 * tensor, as ONNX defines it for Conv, ConvTranspose and the pools: kernel,
 * strides, dilations, padding (from `pads` or `auto_pad`) and output extents.
 */
import { GraphError } from "../../errors.js";
import type { AttributeValue, Node } from "../../graph/ir.js";

/** Windows along each spatial axis. Pads may be negative (they then crop). */
export interface WindowGeometry {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly padsBegin: readonly number[];
  readonly padsEnd: readonly number[];
  /** Output extent along each spatial axis. */
  readonly output: readonly number[];
}

/** The node's integer-list attribute, or `fallback` when the node leaves it out. */
export function intsAttribute(node: Node, name: string, fallback: readonly number[]): readonly number[] {
  const value: AttributeValue | undefined = node.attributes[name];
  return value === undefined ? fallback : (value as readonly number[]);
}

/** The node's integer attribute, or `fallback`. */
export function intAttribute(node: Node, name: string, fallback: number): number {
  const value = node.attributes[name];
  return value === undefined ? fallback : (value as number);
}

/** The node's string attribute, or `fallback`. */
export function stringAttribute(node: Node, name: string, fallback: string): string {
  const value = node.attributes[name];
  return value === undefined ? fallback : (value as string);
}

/** The spatial extent one window covers: `(k - 1) * d + 1`. */
export function span(kernel: number, dilation: number): number {
  return (kernel - 1) * dilation + 1;
}

/**
 * Padding for `auto_pad` SAME_UPPER / SAME_LOWER: output `ceil(S / s)`, the
 * total padding that takes split evenly, the odd element at the end (UPPER)
 * or the beginning (LOWER).
 */
function samePadding(extent: number, kernelSpan: number, stride: number, upper: boolean): [number, number] {
  const output = Math.ceil(extent / stride);
  const total = Math.max(0, (output - 1) * stride + kernelSpan - extent);
  const small = Math.floor(total / 2);
  return upper ? [small, total - small] : [total - small, small];
}

/**
 * The windows of a Conv or pool node over `spatial` extents with `kernel`.
 * `ceilMode` (pools) rounds the output extent up, dropping a last window
 * that would start past the padded input, as ONNX Runtime and PyTorch do.
 */
export function slidingWindows(node: Node, spatial: readonly number[], kernel: readonly number[], ceilMode = false): WindowGeometry {
  const rank = spatial.length;
  const ones = spatial.map(() => 1);
  const strides = intsAttribute(node, "strides", ones);
  const dilations = intsAttribute(node, "dilations", ones);
  const autoPad = stringAttribute(node, "auto_pad", "NOTSET");
  const pads = intsAttribute(node, "pads", new Array<number>(2 * rank).fill(0));
  const padsBegin: number[] = [];
  const padsEnd: number[] = [];
  for (let i = 0; i < rank; i++) {
    const kernelSpan = span(kernel[i], dilations[i]);
    const [begin, end] =
      autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER"
        ? samePadding(spatial[i], kernelSpan, strides[i], autoPad === "SAME_UPPER")
        : autoPad === "VALID"
          ? [0, 0]
          : [pads[i], pads[i + rank]];
    padsBegin.push(begin);
    padsEnd.push(end);
  }
  const output = spatial.map((extent, i) => {
    const room = extent + padsBegin[i] + padsEnd[i] - span(kernel[i], dilations[i]);
    if (!ceilMode) return Math.floor(room / strides[i]) + 1;
    const count = Math.ceil(room / strides[i]) + 1;
    return (count - 1) * strides[i] >= extent + padsBegin[i] ? count - 1 : count;
  });
  if (output.some((o) => o < 1)) {
    throw new GraphError(`${node.op}: windows of kernel [${kernel.join(", ")}] do not fit the padded input [${spatial.join(", ")}]`);
  }
  return { kernel, strides, dilations, padsBegin, padsEnd, output };
}

/** Whether a pool node's second output (MaxPool's `Indices`) is used. */
export function usesIndicesOutput(node: Node): boolean {
  return node.outputs.length > 1 && node.outputs[1] !== "";
}

/** Whether a node sets a dilation other than 1. */
export function isDilated(node: Node): boolean {
  return intsAttribute(node, "dilations", []).some((d) => d !== 1);
}

/** Whether a pool node rounds its output extent up. */
export function usesCeilMode(node: Node): boolean {
  return intAttribute(node, "ceil_mode", 0) === 1;
}
