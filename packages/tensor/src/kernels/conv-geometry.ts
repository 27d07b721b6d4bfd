import { ShapeError, ValueError } from "../errors.js";

/**
 * Options of 2-D convolutions (PyTorch / ONNX Conv attributes, full names).
 * Every pair is `[height, width]`.
 */
export interface Conv2dOptions {
  /** Step between windows; default `[1, 1]`. */
  stride?: readonly [number, number];
  /** Zero padding `[top, left, bottom, right]` (ONNX `pads` order); default none. */
  padding?: readonly [number, number, number, number];
  /** Spacing between kernel taps; default `[1, 1]`. */
  dilation?: readonly [number, number];
  /** Channel groups: input and output channels split into this many independent blocks; default 1. */
  groups?: number;
}

/** A convolution's window geometry with every default filled in and validated. */
export interface WindowGeometry {
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
  dilationH: number;
  dilationW: number;
}

function assertIntegers(what: string, name: string, values: readonly number[] | undefined, count: number, min: number): void {
  if (values === undefined) return;
  if (!Array.isArray(values) || values.length !== count || !values.every((v) => Number.isInteger(v) && v >= min)) {
    const kind = min === 0 ? "non-negative" : "positive";
    throw new ValueError(`${what}: ${name} must be ${count} ${kind} integers, got ${JSON.stringify(values)}`);
  }
}

/** Validates `kernelSize` and the options' stride, padding and dilation, filling defaults. */
export function windowGeometry(
  what: string,
  kernelSize: readonly [number, number],
  options: Omit<Conv2dOptions, "groups">,
): WindowGeometry {
  assertIntegers(what, "kernelSize", kernelSize, 2, 1);
  assertIntegers(what, "stride", options.stride, 2, 1);
  assertIntegers(what, "padding", options.padding, 4, 0);
  assertIntegers(what, "dilation", options.dilation, 2, 1);
  const [strideH, strideW] = options.stride ?? [1, 1];
  const [padTop, padLeft, padBottom, padRight] = options.padding ?? [0, 0, 0, 0];
  const [dilationH, dilationW] = options.dilation ?? [1, 1];
  return { kernelH: kernelSize[0], kernelW: kernelSize[1], strideH, strideW, padTop, padLeft, padBottom, padRight, dilationH, dilationW };
}

/** Validates `groups` (a positive integer, default 1). */
export function groupsOf(what: string, groups: number | undefined): number {
  const g = groups ?? 1;
  if (!Number.isInteger(g) || g < 1) throw new ValueError(`${what}: groups must be a positive integer, got ${g}`);
  return g;
}

/**
 * Number of window positions along one axis:
 * `floor((size + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1`.
 */
export function windowCount(size: number, padBefore: number, padAfter: number, kernel: number, dilation: number, stride: number): number {
  return Math.floor((size + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** The output height and width of the windows over an `height x width` input; a ShapeError if no window fits. */
export function windowGrid(what: string, height: number, width: number, g: WindowGeometry): [number, number] {
  const outH = windowCount(height, g.padTop, g.padBottom, g.kernelH, g.dilationH, g.strideH);
  const outW = windowCount(width, g.padLeft, g.padRight, g.kernelW, g.dilationW, g.strideW);
  if (outH < 1 || outW < 1) {
    throw new ShapeError(
      `${what}: kernel ${g.kernelH} x ${g.kernelW} (dilation ${g.dilationH} x ${g.dilationW}) does not fit the padded input ` +
        `${height + g.padTop + g.padBottom} x ${width + g.padLeft + g.padRight}`,
    );
  }
  return [outH, outW];
}
