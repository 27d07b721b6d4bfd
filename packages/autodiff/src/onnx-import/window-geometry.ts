/**
 * The window geometry of ONNX Conv and pooling nodes (`kernel_shape`,
 * `strides`, `pads`, `dilations`, `auto_pad`, `ceil_mode`), resolved to the
 * explicit `[top, left, bottom, right]` padding autodiff's `conv2d`,
 * `maxPool2d` and `avgPool2d` take (the same order as ONNX `pads`).
 */
import type { Value } from "../core/value.js";
import type { NodeContext } from "./node-context.js";

/** Strides, explicit padding and dilations of a 2-D window. */
export interface WindowGeometry {
  readonly stride: [number, number];
  readonly padding: [number, number, number, number];
  readonly dilation: [number, number];
}

/** The spatial extents `[H, W]` of an `[N, C, H, W]` input, which must be numbers. */
function spatialExtents(x: Value, node: NodeContext): [number, number] {
  if (x.rank !== 4) node.unsupported(`a ${x.rank - 2}-D window (input ${x}; only 2-D, NCHW)`);
  const [h, w] = x.shape.slice(2);
  if (typeof h !== "number" || typeof w !== "number") node.fail(`the spatial extents of the input must be numbers, got ${x}`);
  return [h, w];
}

/** `auto_pad = SAME_UPPER | SAME_LOWER`: pad so the output has `ceil(in / stride)` entries, the odd one at the end (UPPER) or start (LOWER). */
function samePadding(extent: number, kernel: number, stride: number, dilation: number, upper: boolean): [number, number] {
  const output = Math.ceil(extent / stride);
  const total = Math.max(0, (output - 1) * stride + (kernel - 1) * dilation + 1 - extent);
  const small = Math.floor(total / 2);
  return upper ? [small, total - small] : [total - small, small];
}

/**
 * The geometry of `node` applied to `x` with a `kernel` window. `ceil_mode`
 * is accepted where it does not change the output size (the usual case);
 * otherwise it is unsupported.
 */
export function windowGeometry(node: NodeContext, x: Value, kernel: readonly [number, number]): WindowGeometry {
  const extents = spatialExtents(x, node);
  const pair = (name: string): [number, number] => {
    const values = node.ints(name) ?? [1, 1];
    if (values.length !== 2) node.fail(`attribute ${name} must have 2 entries for a 2-D window, got [${values}]`);
    return [values[0], values[1]];
  };
  const stride = pair("strides");
  const dilation = pair("dilations");
  const autoPad = node.string("auto_pad", "NOTSET");
  let padding: [number, number, number, number];
  if (autoPad === "NOTSET") {
    const pads = node.ints("pads") ?? [0, 0, 0, 0];
    if (pads.length !== 4) node.fail(`attribute pads must have 4 entries for a 2-D window, got [${pads}]`);
    padding = [pads[0], pads[1], pads[2], pads[3]];
  } else if (autoPad === "VALID") {
    padding = [0, 0, 0, 0];
  } else if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") {
    const upper = autoPad === "SAME_UPPER";
    const [top, bottom] = samePadding(extents[0], kernel[0], stride[0], dilation[0], upper);
    const [left, right] = samePadding(extents[1], kernel[1], stride[1], dilation[1], upper);
    padding = [top, left, bottom, right];
  } else {
    node.fail(`auto_pad must be NOTSET, VALID, SAME_UPPER or SAME_LOWER, got "${autoPad}"`);
  }
  if (node.int("ceil_mode", 0) !== 0) {
    const changes = [0, 1].some((axis) => {
      const span = padding[axis] + extents[axis] + padding[axis + 2] - ((kernel[axis] - 1) * dilation[axis] + 1);
      return span % stride[axis] !== 0;
    });
    if (changes) node.unsupported("ceil_mode = 1 where it adds a partial window");
  }
  return { stride, padding, dilation };
}
