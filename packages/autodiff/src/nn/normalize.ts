import { literal } from "../core/leaves.js";
import type { Value } from "../core/value.js";
import { add } from "../primitives/add.js";
import { div } from "../primitives/div.js";
import { mul } from "../primitives/mul.js";
import { sqrt } from "../primitives/sqrt.js";
import { sub } from "../primitives/sub.js";
import { mean } from "../composites/mean.js";

/**
 * `(x - mean) / sqrt(var + eps)` with the mean and the biased variance
 * (divided by the count, as PyTorch's normalization layers use) over `axes`.
 * The variance is the mean of squared deviations (two passes), which stays
 * accurate when the mean is large compared to the spread.
 */
export function standardize(x: Value, axes: readonly number[], eps: number): Value {
  const centered = sub(x, mean(x, axes, true));
  const variance = mean(mul(centered, centered), axes, true);
  return div(centered, sqrt(add(variance, literal(eps, x.dtype))));
}
