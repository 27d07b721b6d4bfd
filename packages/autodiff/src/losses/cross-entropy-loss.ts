import { DTypeError, formatShape, isFloat, ShapeError, tensor, ValueError, type DType, type FloatDType, type Generator, type Tensor, type ValueType } from "@curv/tensor";
import { pickClasses } from "../composites/cross-entropy.js";
import { logSoftmax, softmax } from "../composites/softmax.js";
import { literal } from "../core/leaves.js";
import type { InputSpec } from "../core/program.js";
import type { Value } from "../core/value.js";
import { add } from "../primitives/add.js";
import { broadcastTo } from "../primitives/broadcast-to.js";
import { cast } from "../primitives/cast.js";
import { concat } from "../primitives/concat.js";
import { div } from "../primitives/div.js";
import { less } from "../primitives/less.js";
import { matmul } from "../primitives/matmul.js";
import { maximum } from "../primitives/maximum.js";
import { mul } from "../primitives/mul.js";
import { neg } from "../primitives/neg.js";
import { reduceSum } from "../primitives/reduce-sum.js";
import { reshape } from "../primitives/reshape.js";
import { slice } from "../primitives/slice.js";
import { sqrt } from "../primitives/sqrt.js";
import { stopGradient } from "../primitives/stop-gradient.js";
import { sub } from "../primitives/sub.js";
import type { CurvatureLoss, Reduction } from "./loss.js";
import {
  batchScaleOf, checkNoise, checkOutput, checkReduction, checkSamples, classAxisBack, classAxisLast, diagonalBlocks, reduce, staticSize,
} from "./loss-helpers.js";

/**
 * Cross-entropy of logits against class indices or class probabilities;
 * corresponds to PyTorch's `torch.nn.CrossEntropyLoss` (no class weights,
 * ignore index or label smoothing). Logits are `[N, C]` or `[N, C, d...]`
 * (class axis 1); targets are integer classes `[N]` / `[N, d...]`, or
 * float probabilities of the logits' shape. `"mean"` divides by the number
 * of positions, `N * d...`.
 *
 * Curvature pieces (curvlinops): per position the Hessian is
 * `c' (diag(p) - p p^T)` with `p = softmax(f)` and `c'` one over the
 * positions per example (`"mean"`), so `S = sqrt(c') (diag(sqrt p) - p sqrt(p)^T)`
 * (this S assumes probability targets sum to one, as PyTorch's must); MC
 * would-be gradients are `sqrt(c') (p - onehot(y~))` with `y~ ~ Cat(p)`,
 * sampled in the program from host-drawn uniforms by inverting the
 * cumulative distribution.
 *
 * `hessianSqrt: "cholesky"` gives instead the Tanabe–Sagae lower-triangular
 * factor of `diag(p) - p pᵀ` that NNGeometry's `FIM(variant="classif_logits")`
 * uses: column k (k < C - 1) is `√d_k (e_k - [j > k] p_j / q_k)` with
 * `q_k = Σ_{j>k} p_j` and `d_k = p_k q_k / (p_k + q_k)`; its last column is
 * zero, so only C - 1 of the C columns carry curvature. Every product
 * (`S Sᵀ`) is the same as with the default `"symmetric"` factor.
 *
 * @example
 * ```ts
 * const loss = new CrossEntropyLoss();
 * const value = loss.value(logits, labels);         // labels: int64 [N]
 * const s = loss.hessianSqrt(logits);               // [N, C, C]
 * ```
 */
export class CrossEntropyLoss implements CurvatureLoss {
  readonly kind = "CrossEntropyLoss";
  readonly reduction: Reduction;
  /** Which square root of the Hessian {@link CrossEntropyLoss.hessianSqrt} gives: curvlinops' `"symmetric"` (default) or NNGeometry's `"cholesky"`. */
  readonly hessianSqrtKind: CrossEntropyHessianSqrt;

  constructor({ reduction = "mean", hessianSqrt = "symmetric" }: { reduction?: Reduction; hessianSqrt?: CrossEntropyHessianSqrt } = {}) {
    this.reduction = checkReduction(this.kind, reduction);
    if (hessianSqrt !== "symmetric" && hessianSqrt !== "cholesky") {
      throw new ValueError(`${this.kind}: hessianSqrt must be "symmetric" or "cholesky", got ${JSON.stringify(hessianSqrt)}`);
    }
    this.hessianSqrtKind = hessianSqrt;
  }

  value(output: Value, target: Value): Value {
    checkOutput(this.kind, output, 2);
    const logProbabilities = logSoftmax(output, 1);
    let perPosition: Value;
    if (isFloat(target.dtype)) {
      const sameShape = target.rank === output.rank && target.shape.every((d, i) => d === output.shape[i]);
      if (!sameShape) throw new ShapeError(`${this.kind}: probability targets must have the logits' shape ${formatShape(output.shape)}, got ${formatShape(target.shape)}`);
      if (target.dtype !== output.dtype) throw new DTypeError(`${this.kind}: probability targets must be ${output.dtype} like the logits, got ${target.dtype}`);
      perPosition = neg(reduceSum(mul(logProbabilities, target), [1]));
    } else {
      const expected = [output.shape[0], ...output.shape.slice(2)];
      const fits = target.rank === expected.length && expected.every((d, i) => d === target.shape[i]);
      if (!fits) throw new ShapeError(`${this.kind}: class-index targets for logits ${formatShape(output.shape)} must be ${formatShape(expected)}, got ${formatShape(target.shape)}`);
      if (target.dtype !== "int64" && target.dtype !== "int32") throw new DTypeError(`${this.kind}: class-index targets must be int64 or int32, got ${target.dtype}`);
      perPosition = neg(pickClasses(logProbabilities, target));
    }
    return reduce(perPosition, this.reduction);
  }

  batchScale(output: Value): Value {
    return batchScaleOf(output, this.reduction);
  }

  datumScale(outputShape: readonly (number | string)[]): number {
    return this.reduction === "sum" ? 1 : 1 / staticSize(this.kind, outputShape.slice(2));
  }

  hessianSqrt(output: Value): Value {
    checkOutput(this.kind, output, 2);
    const p = softmax(classAxisLast(output), -1);
    const classes = p.shape[p.rank - 1] as number;
    const rows = p.shape.slice(0, -1);
    if (this.hessianSqrtKind === "cholesky") return mul(choleskyFactor(p, classes), Math.sqrt(this.datumScale(output.shape)));
    const sqrtP = sqrt(p);
    // S_ij = sqrt(p_i) delta_ij - p_i sqrt(p_j): then S S^T = diag(p) - p p^T since sum(p) = 1.
    const outer = mul(reshape(p, [...rows, classes, 1]), reshape(sqrtP, [...rows, 1, classes]));
    return mul(sub(diagonalBlocks(sqrtP, 1), outer), Math.sqrt(this.datumScale(output.shape)));
  }

  noiseSpec(output: ValueType, samples: number): InputSpec {
    return { dtype: output.dtype, shape: [checkSamples(samples), output.shape[0], ...output.shape.slice(2)] };
  }

  drawNoise(generator: Generator, outputShape: readonly number[], samples: number, dtype: DType): Tensor {
    return generator.uniform([checkSamples(samples), outputShape[0], ...outputShape.slice(2)], { dtype: dtype as FloatDType });
  }

  sampledGradients(output: Value, noise: Value): Value {
    checkOutput(this.kind, output, 2);
    checkNoise(this.kind, noise, [output.shape[0], ...output.shape.slice(2)]);
    const p = stopGradient(softmax(classAxisLast(output), -1));
    const sampled = sampleOneHot(p, noise);
    const gradients = mul(sub(p, sampled), Math.sqrt(this.datumScale(output.shape)));
    return classAxisBack(gradients, 1);
  }
}

/** The two square roots of `diag(p) - p pᵀ` {@link CrossEntropyLoss} offers. */
export type CrossEntropyHessianSqrt = "symmetric" | "cholesky";

/**
 * Tanabe & Sagae's (1992) Cholesky factor of `diag(p) - p pᵀ`, `[...rows, C, C]`
 * (the last column zero), as NNGeometry computes it: divisions are guarded by
 * machine epsilon, as its `clip(., eps, 1)`.
 */
function choleskyFactor(p: Value, classes: number): Value {
  const dtype = p.dtype as FloatDType;
  const eps = literal(dtype === "float64" ? 2 ** -52 : 2 ** -23, dtype);
  const rows = p.shape.slice(0, -1);
  // q_k = Σ_{j>k} p_j, as p times a strictly lower triangular matrix of ones (M[j, k] = 1 for j > k).
  const strictlyLower = tensor(Array.from({ length: classes * classes }, (_, i) => (Math.floor(i / classes) > i % classes ? 1 : 0)), { dtype, shape: [classes, classes] });
  const q = matmul(p, literal(strictlyLower));
  const d = div(mul(p, q), maximum(add(p, q), eps));
  const rootD = sqrt(d);
  // L[j, k] = √d_k (δ_jk - [j > k] p_j / q_k)
  const ratio = mul(reshape(p, [...rows, classes, 1]), reshape(div(rootD, maximum(q, eps)), [...rows, 1, classes]));
  return sub(diagonalBlocks(rootD, 1), mul(ratio, literal(strictlyLower)));
}

/**
 * One-hot rows `[M, ...rows, C]` of classes drawn from the probabilities `p`
 * `[...rows, C]` by inverse-CDF sampling of uniforms `u` `[M, ...rows]`:
 * class k where `lower_k <= u < upper_k`. Upper ends are the next class's
 * lower ends (the last one 2), so the intervals tile [0, 2) exactly and
 * every u picks exactly one class even when the probabilities' rounded sum
 * is below 1.
 *
 * @example
 * ```ts
 * const hot = sampleOneHot(softmax(logits, -1), uniforms);   // uniforms [M, N] from Generator.uniform
 * ```
 */
export function sampleOneHot(p: Value, u: Value): Value {
  const classes = p.shape[p.rank - 1] as number;
  const rows = p.shape.slice(0, -1);
  // lower_k = sum_{j < k} p_j, as p times a strictly upper triangular matrix of ones.
  const strictlyUpper = tensor(Array.from({ length: classes * classes }, (_, i) => (Math.floor(i / classes) < i % classes ? 1 : 0)), { dtype: p.dtype as FloatDType, shape: [classes, classes] });
  const lower = matmul(p, literal(strictlyUpper));
  const upper = concat([slice(lower, [[p.rank - 1, 1, classes]]), broadcastTo(literal(2, p.dtype), [...rows, 1])], p.rank - 1);
  const draws = reshape(u, [...u.shape, 1]);
  return sub(cast(less(draws, upper), p.dtype), cast(less(draws, lower), p.dtype));
}
