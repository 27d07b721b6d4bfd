/**
 * Products that pass through the model's output space, `Jᵀ M J v`, where M
 * is a matrix per loss term (the GGN's loss Hessian, the MC Fisher's sampled
 * gradients, the empirical Fisher's true gradients), and the loss-term
 * structure they share: a loss term is one row of the output, i.e. all
 * entries that share every index but the class axis (axis 1 for
 * cross-entropy, the last axis for MSE and BCE; each entry of a 1-D output
 * is a row), as curvlinops flattens the output to `[rows, C]`.
 */
import { div, grad, jvp, mul, reduceSum, vjp, type CurvatureLoss, type Value } from "@curv/autodiff";
import type { CurvatureTrace } from "./curvature-trace.js";

/** The class axis of an output for `loss` (`-1` for an output whose entries are rows). */
export function classAxis(loss: CurvatureLoss, output: Value): number {
  if (loss.kind === "CrossEntropyLoss") return 1;
  return output.rank === 1 ? -1 : output.rank - 1;
}

/** `<a, b>` per row, keeping the class axis with extent 1 so it broadcasts back (`leading` extra axes in front). */
export function rowInner(loss: CurvatureLoss, output: Value, a: Value, b: Value, leading = 0): Value {
  const axis = classAxis(loss, output);
  const product = mul(a, b);
  return axis < 0 ? product : reduceSum(product, [axis + leading], true);
}

/**
 * `Jᵀ u(J v)` for one vector: `J v` by a JVP of the forward, the
 * output-space map `cotangent(output, Jv)`, and `Jᵀ` by a VJP.
 */
export function throughOutput(trace: CurvatureTrace, vectors: readonly Value[], cotangent: (output: Value, jv: Value) => Value): Value[] {
  const forward = (params: Value[]) => [trace.forward(params)];
  const [[output], [jv]] = jvp(forward, trace.selected, vectors);
  const [, pullback] = vjp(forward, trace.selected);
  return pullback([cotangent(output, jv)]);
}

/**
 * The Monte-Carlo Fisher's output-space map: `c/M Σₘ g̃ₘ <g̃ₘ, Jv>` per row,
 * with `g̃ₘ` the loss's sampled would-be gradients (`E[g̃ g̃ᵀ] = S Sᵀ` per
 * row, so the expectation is the GGN's `c S Sᵀ Jv`; curvlinops'
 * pseudo-loss `(1/2r) Σ <g̃, f>²`).
 */
export function sampledFisherCotangent(loss: CurvatureLoss, output: Value, jv: Value, noise: Value, samples: number): Value {
  const sampled = loss.sampledGradients(output, noise);
  const weighted = mul(sampled, rowInner(loss, output, sampled, jv, 1));
  return mul(div(reduceSum(weighted, [0]), samples), loss.batchScale(output));
}

/**
 * The empirical Fisher's output-space map: `r G <G, Jv>` per row with
 * `G = ∇_f L_b` the batch loss' gradient and `r = 1/(c c')` curvlinops'
 * reduction factor (the number of loss terms, times C for MSE and BCE, under
 * mean; 1 under sum), so that each row contributes `(1/r) gₜ gₜᵀ` for the
 * gradient `gₜ = r Gₜ` of its unnormalized loss.
 */
export function empiricalFisherCotangent(loss: CurvatureLoss, output: Value, jv: Value, lossOf: (output: Value) => Value): Value {
  const [gradient] = grad(([o]) => lossOf(o))([output]);
  const scale = mul(loss.batchScale(output), loss.datumScale(output.shape));
  return div(mul(gradient, rowInner(loss, output, gradient, jv)), scale);
}
