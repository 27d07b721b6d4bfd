/**
 * The vectors KFAC backpropagates from the model's output, one set per
 * Fisher type (curvlinops' `make_grad_output_fn`), as `[K, ...output]`:
 * K seeds per batch, all backpropagated in one run. Their outer products
 * summed over K give the loss Hessian per example (exactly for type-2, in
 * expectation for MC), with the per-datum factor `c'` of the loss included
 * and the batch factor `c` left out.
 */
import { div, input, literal, mul, reshape, transpose, vjp, type CurvatureLoss, type InputSpec, type Value } from "@curv/autodiff";
import type { FisherType } from "./kfac-options.js";

/** The output seeds and the random input they read, if any. */
export interface OutputSeeds {
  /** `[K, ...output.shape]`. */
  readonly seeds: Value;
  /** The host-drawn noise input of the MC seeds. */
  readonly noise?: { readonly name: string; readonly value: Value; readonly spec: InputSpec };
}

/**
 * The columns of the loss-Hessian square root S (`[...rows, C, C]`, class
 * axis last) laid out like the output: column c of every row's block is the
 * seed c.
 */
function hessianSqrtColumns(loss: CurvatureLoss, output: Value): Value {
  const s = loss.hessianSqrt(output);
  const r = s.rank;
  // [...rows, C_i, C_c] -> [C_c, ...rows, C_i]
  const columns = transpose(s, [r - 1, ...Array.from({ length: r - 1 }, (_, i) => i)]);
  if (output.rank === 1) return reshape(columns, [columns.shape[0], output.shape[0]]);
  if (loss.kind === "CrossEntropyLoss" && output.rank > 2) {
    // The class axis is axis 1 of a cross-entropy output; S put it last.
    const last = columns.rank - 1;
    return transpose(columns, [0, 1, last, ...Array.from({ length: last - 2 }, (_, i) => i + 2)]);
  }
  return columns;
}

/**
 * The gradient of the loss at the true targets, rescaled to the seed
 * convention: `∇_f value / (c √c')`, so that its outer product carries `c'`
 * like `S Sᵀ` (curvlinops' `_scaled_datum_loss` for the empirical Fisher).
 */
function empiricalGradient(loss: CurvatureLoss, output: Value, target: Value): Value {
  const [, pullback] = vjp(([o]) => [loss.value(o, target)], [output]);
  const [gradient] = pullback([literal(1, output.dtype)]);
  // 1 / c is traced: c counts a symbolic batch at run time.
  const perDatum = div(gradient, loss.batchScale(output));
  return reshape(mul(perDatum, 1 / Math.sqrt(loss.datumScale(output.shape))), [1, ...output.shape]);
}

/**
 * The seeds of `fisherType` for the traced `output` against `target`
 * (`"forward-only"` has none and is not handled here).
 */
export function outputSeeds(fisherType: Exclude<FisherType, "forward-only">, loss: CurvatureLoss, output: Value, target: Value, mcSamples: number): OutputSeeds {
  if (fisherType === "type-2") return { seeds: hessianSqrtColumns(loss, output) };
  if (fisherType === "empirical") return { seeds: empiricalGradient(loss, output, target) };
  // MC: M would-be gradients with E[g gᵀ] = S Sᵀ, divided by √M so their sum of outer products averages the M draws.
  const spec = loss.noiseSpec(output, mcSamples);
  const noise = input("kfac.noise", spec.dtype, spec.shape);
  return { seeds: mul(loss.sampledGradients(output, noise), 1 / Math.sqrt(mcSamples)), noise: { name: "kfac.noise", value: noise, spec } };
}
