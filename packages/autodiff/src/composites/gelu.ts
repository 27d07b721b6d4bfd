import type { Value } from "../core/value.js";
import { add } from "../primitives/add.js";
import { erf } from "../primitives/erf.js";
import { mul } from "../primitives/mul.js";
import { tanh } from "./tanh.js";

/** How GELU is computed: PyTorch's `approximate` argument. */
export type GeluApproximation = "none" | "tanh";

/**
 * The Gaussian error linear unit `x * Phi(x)` (Hendrycks & Gimpel 2016),
 * elementwise, as PyTorch's `nn.functional.gelu`: exactly,
 * `0.5 x (1 + erf(x / sqrt(2)))` (`"none"`, the default), or by the tanh
 * approximation `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))` (`"tanh"`).
 *
 * @example
 * ```ts
 * const h = gelu(matmul(x, w));            // exact
 * const g = gelu(matmul(x, w), "tanh");    // GPT-2's approximation
 * ```
 */
export function gelu(x: Value, approximate: GeluApproximation = "none"): Value {
  const inner = approximate === "tanh" ? tanh(mul(add(x, mul(mul(mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI))) : erf(mul(x, Math.SQRT1_2));
  return mul(mul(x, 0.5), add(inner, 1));
}
