import { ValueError } from "@curv/tensor";

/**
 * A map applied to every entry before colouring, e.g. {@link logAbs}. Colour
 * limits (`vmin`, `vmax`) and the colorbar are in transformed units.
 */
export interface ValueTransform {
  /** Maps one entry; a non-finite result is drawn in the scale's `nanColor`. */
  apply(value: number): number;
  /** A default colorbar label that says what the colours show, e.g. `"log10(|value|)"`. */
  readonly label: string;
}

/** Leaves values as they are. */
export const identityTransform: ValueTransform = { apply: (value) => value, label: "" };

/** Options of {@link logAbs}. */
export interface LogAbsOptions {
  /**
   * Absolute values below `min` are raised to `min` before the logarithm, so
   * exact zeros (common in structured and sparse curvature matrices) get the
   * lowest colour instead of `-Infinity`. Default `1e-10`.
   */
  min?: number;
}

/**
 * `log10(max(|x|, min))`: shows the magnitude of entries that span many
 * orders, as curvature matrices do. NaN stays NaN.
 *
 * @example
 * ```ts
 * heatmapSvg(hessian, { transform: logAbs({ min: 1e-10 }), colorbarLabel: "log10 |H|" });
 * ```
 */
export function logAbs({ min = 1e-10 }: LogAbsOptions = {}): ValueTransform {
  if (!(Number.isFinite(min) && min > 0)) {
    throw new ValueError(`logAbs: min must be a finite positive number, got ${min}`);
  }
  return {
    apply: (value) => Math.log10(Math.max(Math.abs(value), min)),
    label: `log10(max(|value|, ${min >= 1e-3 && min < 1e4 ? min : min.toExponential()}))`,
  };
}
