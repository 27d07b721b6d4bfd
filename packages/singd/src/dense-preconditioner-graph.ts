/**
 * SINGD's update and natural gradient for a layer whose K and C are both
 * dense, traced into the step program so that its O(n³) products run on the
 * runtime's matrix kernels rather than the host's. The same formulas as
 * {@link LayerPreconditioner} (`SINGD._update_preconditioner`,
 * `_compute_natural_gradient`), in the same order of operations; the
 * fixtures check both paths.
 */
import { abs, add, concat, div, input, literal, matmul, maximum, mul, reduceMax, reduceSum, reshape, sub, swapLastAxes, type Value } from "@curv/autodiff";
import { Tensor, type FloatDType } from "@curv/tensor";
import type { SINGDLayer } from "./singd-layers.js";

/** Input and output names of a dense layer's pre-conditioner in the step program. */
export const denseNames = {
  K: (i: number) => `K.${i}`,
  C: (i: number) => `C.${i}`,
  mK: (i: number) => `m_K.${i}`,
  mC: (i: number) => `m_C.${i}`,
  /**
   * Scalars fed per update: the divisor of a (rows for the moment, √rows
   * for the rows), the factor of g (N_loss/s_{t−1} for the moment,
   * √N_loss/√s_{t−1} for the rows), s_{t−1}/s_t², and β₁.
   */
  inputScale: (i: number) => `scaleA.${i}`,
  gradientScale: (i: number) => `scaleG.${i}`,
  unscaling: (i: number) => `unscale.${i}`,
  lrCov: (i: number) => `lrCov.${i}`,
  /** K Kᵀ and C Cᵀ: inputs at steps without an update, outputs at updates. */
  productK: (i: number) => `K Kᵀ.${i}`,
  productC: (i: number) => `C Cᵀ.${i}`,
  /** Outputs. */
  nextK: (i: number) => `next K.${i}`,
  nextC: (i: number) => `next C.${i}`,
  nextMK: (i: number) => `next m_K.${i}`,
  nextMC: (i: number) => `next m_C.${i}`,
  naturalGradient: (i: number) => `natural gradient.${i}`,
};

/**
 * Whether a structure's projection Π is a mask (keeping the entries of its
 * pattern, zeroing the rest) and its products stay in the pattern, so that
 * SINGD's update of it equals the dense update with Π applied as the mask:
 * dense, block-diagonal and hierarchical (not diagonal, whose O(n) host loop
 * is cheaper, nor Toeplitz, whose Π averages diagonals).
 */
function isMaskStructure(name: string, singdBlockDiagonalQuirk: boolean): boolean {
  if (name === "dense" || /^hierarchical\d+_\d+$/.test(name)) return true;
  return /^block\d+diagonal$/.test(name) && !singdBlockDiagonalQuirk;
}

/** Test seam (not exported from the package): `structured: false` sends block-diagonal and hierarchical layers to the host's closed forms, to check the traced path against them. */
export const tracingSwitch = { structured: true };

/**
 * Whether layer `layer` takes the traced path in a program computing in
 * `dtype`: its update and natural gradient run in the step program on dense
 * forms of K and C (structured ones masked by their pattern), and only the
 * structure's own entries are kept on the host.
 */
export function isTracedDense(layer: SINGDLayer, dtype: FloatDType, singdBlockDiagonalQuirk = false): boolean {
  const [k, c] = layer.options.structures;
  if (!tracingSwitch.structured && (k.structureName !== "dense" || c.structureName !== "dense")) return false;
  return isMaskStructure(k.structureName, singdBlockDiagonalQuirk) && isMaskStructure(c.structureName, singdBlockDiagonalQuirk)
    && layer.dtypes[0] === dtype && layer.dtypes[1] === dtype;
}

/** Π of `layer`'s K (side 0) or C (side 1) as a mask literal, or undefined for a dense side. */
function patternMask(layer: SINGDLayer, side: 0 | 1, dtype: FloatDType): Value | undefined {
  const structure = layer.options.structures[side];
  if (structure.structureName === "dense") return undefined;
  const n = side === 0 ? layer.dimK : layer.dimC;
  const ones = new Tensor(dtype, [n, n]);
  (ones.data as Float32Array | Float64Array).fill(1);
  return literal(structure.fromDense(ones).toDense() as Tensor<FloatDType>);
}

function eye(n: number, dtype: FloatDType): Value {
  const data = new (dtype === "float64" ? Float64Array : Float32Array)(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return literal(new Tensor(dtype, [n, n], data));
}

/** τ(X) = tr(X)/n as a scalar. */
function averageTrace(x: Value, identity: Value, n: number): Value {
  return div(reduceSum(mul(x, identity)), n);
}

const t = swapLastAxes;

/** The layer's traced pre-conditioner inputs and the values the program outputs for it. */
export interface TracedDenseLayer {
  readonly inputs: Value[];
  readonly outputs: { name: string; value: Value }[];
  /** K Kᵀ and C Cᵀ to precondition with (of the updated K and C at an update step). */
  readonly productK: Value;
  readonly productC: Value;
}

/** One side's curvature data: the moment `Σ r rᵀ` (`[n, n]`) or the rows (`[rows, n]`). */
export interface TracedTerm {
  readonly kind: "moment" | "rows";
  readonly value: Value;
}

/** A layer's curvature data at an update step. */
export interface TracedCurvature {
  readonly input: TracedTerm;
  readonly gradient: TracedTerm;
}

/** `Π(Mᵀ (term·scale) M)` for dense M: `Mᵀ (Σ r rᵀ · s) M`, or `(r·s M)ᵀ(r·s M)` from the rows (`scale` a divisor or a factor). */
function projectedInner(term: TracedTerm, M: Value, scale: (v: Value) => Value): Value {
  if (term.kind === "moment") return matmul(matmul(t(M), scale(term.value)), M);
  const rows = matmul(scale(term.value), M);
  return matmul(t(rows), rows);
}

/**
 * The update of layer `i` from its curvature data: inputs K, C (m_K, m_C
 * with α₁ ≠ 0) and the four scalars; outputs the new K, C, m_K, m_C and
 * K Kᵀ, C Cᵀ. With `curvature` undefined (no update at this step) only
 * K Kᵀ and C Cᵀ are inputs.
 */
export function tracedDenseUpdate(layer: SINGDLayer, i: number, dtype: FloatDType, curvature?: TracedCurvature): TracedDenseLayer {
  const { dimK, dimC } = layer;
  if (curvature === undefined) {
    // Between updates K Kᵀ and C Cᵀ are fixed: the host keeps them from the last update.
    const productK = input(denseNames.productK(i), dtype, [dimK, dimK]);
    const productC = input(denseNames.productC(i), dtype, [dimC, dimC]);
    return { inputs: [productK, productC], outputs: [], productK, productC };
  }
  const K = input(denseNames.K(i), dtype, [dimK, dimK]);
  const C = input(denseNames.C(i), dtype, [dimC, dimC]);
  const { kfacLike, damping, alpha1, normalizeLrCov } = layer.options;
  const scalar = (name: string) => input(name, dtype, []);
  const scaleA = scalar(denseNames.inputScale(i));
  const scaleG = scalar(denseNames.gradientScale(i));
  const u = scalar(denseNames.unscaling(i));
  const beta = scalar(denseNames.lrCov(i));
  const inputs = [K, C, scaleA, scaleG, u, beta];
  const [IK, IC] = [eye(dimK, dtype), eye(dimC, dtype)];
  // Π: the identity for dense matrices, the pattern's mask for block-diagonal and hierarchical ones.
  const [maskK, maskC] = [patternMask(layer, 0, dtype), patternMask(layer, 1, dtype)];
  const projectK = (v: Value) => (maskK === undefined ? v : mul(v, maskK));
  const projectC = (v: Value) => (maskC === undefined ? v : mul(v, maskC));
  // H_K = Π(Kᵀ (aᵀa) K), H_C = Π(Cᵀ (ĝᵀĝ) C).
  const HK = projectK(projectedInner(curvature.input, K, (v) => div(v, scaleA)));
  const HC = projectC(projectedInner(curvature.gradient, C, (v) => mul(v, scaleG)));
  const KtK = projectK(matmul(t(K), K));
  const CtC = projectC(matmul(t(C), C));
  const scale = 0.5 * (normalizeLrCov ? 1 - alpha1 : 1);
  const coefficientHK = kfacLike ? literal(1, dtype) : mul(u, averageTrace(HC, IC, dimC));
  const coefficientKtK = kfacLike ? damping : mul(averageTrace(CtC, IC, dimC), damping);
  const coefficientHC = kfacLike ? u : mul(u, averageTrace(HK, IK, dimK));
  const coefficientCtC = kfacLike ? damping : mul(averageTrace(KtK, IK, dimK), damping);
  let mK = mul(sub(add(mul(HK, coefficientHK), mul(KtK, coefficientKtK)), IK), scale);
  let mC = mul(sub(add(mul(HC, coefficientHC), mul(CtC, coefficientCtC)), IC), scale);
  const outputs: { name: string; value: Value }[] = [];
  if (alpha1 !== 0) {
    const previousK = input(denseNames.mK(i), dtype, [dimK, dimK]);
    const previousC = input(denseNames.mC(i), dtype, [dimC, dimC]);
    inputs.push(previousK, previousC);
    mC = add(mC, mul(previousC, alpha1));
    mK = add(mK, mul(previousK, alpha1));
    outputs.push({ name: denseNames.nextMK(i), value: mK }, { name: denseNames.nextMC(i), value: mC });
  }
  // Normalized GD on K and C: β₁ / max(1, ‖m‖_max).
  const betaK = normalizeLrCov ? div(beta, maximum(reduceMax(abs(mK)), literal(1, dtype))) : beta;
  const betaC = normalizeLrCov ? div(beta, maximum(reduceMax(abs(mC)), literal(1, dtype))) : beta;
  const nextK = sub(K, mul(matmul(K, mK), betaK));
  const nextC = sub(C, mul(matmul(C, mC), betaC));
  const productK = matmul(nextK, t(nextK));
  const productC = matmul(nextC, t(nextC));
  outputs.push(
    { name: denseNames.nextK(i), value: nextK }, { name: denseNames.nextC(i), value: nextC },
    { name: denseNames.productK(i), value: productK }, { name: denseNames.productC(i), value: productC },
  );
  return { inputs, outputs, productK, productC };
}

/**
 * `C Cᵀ G̃ K Kᵀ` with `G̃ = [∇W | ∇b] / s_t` (`[d_out, d_in(+1)]`), as
 * `(C Cᵀ)(G̃ (K Kᵀ))`: the products are fixed between updates, so a step
 * costs one `d_out·d_in²` product where SINGD's order `C (Cᵀ ((K (Kᵀ G̃ᵀ))ᵀ))` costs two.
 */
export function tracedNaturalGradient(layer: SINGDLayer, weightGradient: Value, biasGradient: Value | undefined, gradScale: Value, productK: Value, productC: Value): Value {
  const rows = layer.dimC;
  const weight = reshape(weightGradient, [rows, -1]);
  const joint = biasGradient === undefined ? weight : concat([weight, reshape(biasGradient, [rows, 1])], 1);
  const scaled = div(joint, gradScale);
  return matmul(productC, matmul(scaled, productK));
}

/**
 * `C Cᵀ G̃ K Kᵀ` from dense K and C (a structured layer between updates), in
 * SINGD's order `C (Cᵀ ((K (Kᵀ G̃ᵀ))ᵀ))`.
 */
export function tracedNaturalGradientOfFactors(layer: SINGDLayer, weightGradient: Value, biasGradient: Value | undefined, gradScale: Value, K: Value, C: Value): Value {
  const rows = layer.dimC;
  const weight = reshape(weightGradient, [rows, -1]);
  const joint = biasGradient === undefined ? weight : concat([weight, reshape(biasGradient, [rows, 1])], 1);
  const right = t(matmul(K, matmul(t(K), t(div(joint, gradScale)))));
  return matmul(C, matmul(t(C), right));
}
