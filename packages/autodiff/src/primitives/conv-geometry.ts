/**
 * The window geometry shared by convolutions and pooling (2-D, NCHW).
 */
import { formatShape, ShapeError, ValueError, type Dim } from "@curv/tensor";

/** Strides, zero padding `[top, left, bottom, right]` and dilations of a 2-D window. */
export interface WindowParams {
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number, number, number];
  readonly dilation: readonly [number, number];
  [key: string]: unknown;
}

/** How a caller may give the geometry: numbers apply to both axes; padding `[h, w]` is symmetric. */
export interface WindowOptions {
  readonly stride?: number | readonly [number, number];
  readonly padding?: number | readonly [number, number] | readonly [number, number, number, number];
  readonly dilation?: number | readonly [number, number];
}

function pair(what: string, value: number | readonly number[] | undefined, fallback: number, minimum: number): [number, number] {
  const [a, b] = value === undefined ? [fallback, fallback] : typeof value === "number" ? [value, value] : value;
  if (![a, b].every((v) => Number.isInteger(v) && v >= minimum)) throw new ValueError(`${what}: expected integers >= ${minimum}, got ${JSON.stringify(value)}`);
  return [a, b];
}

/** The normalized geometry of `options`. */
export function windowParams(what: string, options: WindowOptions = {}): WindowParams {
  const { padding } = options;
  let pads: [number, number, number, number];
  if (Array.isArray(padding) && padding.length === 4) {
    if (!padding.every((p) => Number.isInteger(p) && p >= 0)) throw new ValueError(`${what} padding: expected non-negative integers, got ${JSON.stringify(padding)}`);
    pads = [...padding] as [number, number, number, number];
  } else {
    const [h, w] = pair(`${what} padding`, padding as number | readonly number[] | undefined, 0, 0);
    pads = [h, w, h, w];
  }
  return { stride: pair(`${what} stride`, options.stride, 1, 1), padding: pads, dilation: pair(`${what} dilation`, options.dilation, 1, 1) };
}

/** The output extent of one spatial axis. */
export function windowExtent(size: Dim, kernel: number, stride: number, before: number, after: number, dilation: number, what: string): number {
  if (typeof size !== "number") throw new ShapeError(`${what}: spatial extents must be numbers, got "${size}"`);
  const span = dilation * (kernel - 1) + 1;
  const count = Math.floor((size + before + after - span) / stride) + 1;
  if (count < 1) throw new ShapeError(`${what}: a window of ${span} does not fit an extent of ${size} padded by ${before} + ${after}`);
  return count;
}

/** The output `[OH, OW]` of windows `kernel` over the spatial axes of `shape` (`[N, C, H, W]`). */
export function windowGrid(shape: readonly Dim[], kernel: readonly number[], { stride, padding, dilation }: WindowParams, what: string): [number, number] {
  if (shape.length !== 4) throw new ShapeError(`${what}: expected an [N, C, H, W] operand, got ${formatShape(shape)}`);
  return [
    windowExtent(shape[2], kernel[0], stride[0], padding[0], padding[2], dilation[0], what),
    windowExtent(shape[3], kernel[1], stride[1], padding[1], padding[3], dilation[1], what),
  ];
}

/** ONNX attributes of a window geometry. */
export function windowAttributes({ stride, padding, dilation }: WindowParams): Record<string, readonly number[]> {
  return { strides: [...stride], pads: [...padding], dilations: [...dilation] };
}
