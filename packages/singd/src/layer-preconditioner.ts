/**
 * One layer's pre-conditioner: the structured factors K (input side) and C
 * (output side) with their Riemannian momenta m_K and m_C, SINGD's update
 * of them (Lin et al. 2024, Fig. 4; `SINGD._update_preconditioner`) and the
 * natural gradient `C Cᵀ G̃ K Kᵀ` (`_compute_natural_gradient`).
 */
import { Tensor, type FloatDType } from "@curv/tensor";
import { BlockDiagonalMatrix, DiagonalMatrix, type StructuredMatrix } from "@curv/structures";
import { lrCovAt } from "./singd-options.js";
import type { SINGDLayer } from "./singd-layers.js";

/** One side's curvature data from the step program: the moment `Σ r rᵀ` (`[n, n]`), the rows transposed (`[n, rows]`), or the moment's diagonal `Σ r²` (`[n]`, for a diagonal side). */
export interface LayerTerm {
  readonly kind: "moment" | "rows" | "diagonal";
  readonly value: Tensor;
}

/** The curvature estimates of one backward pass: `H_K = Π(Kᵀ aᵀa K)` and `H_C = Π(Cᵀ ĝᵀĝ C)`. */
export interface CurvatureTerms {
  readonly HK: StructuredMatrix<FloatDType>;
  readonly HC: StructuredMatrix<FloatDType>;
}

/**
 * One layer's K, C, m_K, m_C (SINGD's `Ks`, `Cs`, `m_Ks`, `m_Cs` entries),
 * as `SINGD.preconditioners` holds them.
 *
 * @example
 * ```ts
 * const p = singd.preconditioners.get("3");  // the layer named "3"
 * p.K.structureName;                         // "hierarchical15_15"
 * p.K.toDense();                             // [433, 433]
 * ```
 */
export class LayerPreconditioner {
  readonly layer: SINGDLayer;
  K: StructuredMatrix<FloatDType>;
  C: StructuredMatrix<FloatDType>;
  /** Present only when alpha1 ≠ 0 (SINGD allocates them only then). */
  mK?: StructuredMatrix<FloatDType>;
  mC?: StructuredMatrix<FloatDType>;
  /** K Kᵀ and C Cᵀ (dense) while K and C are unchanged: the traced dense path's cache, not state. */
  products?: { readonly K: Tensor<FloatDType>; readonly C: Tensor<FloatDType> };

  readonly #singdBlockDiagonalQuirk: boolean;

  constructor(layer: SINGDLayer, singdBlockDiagonalQuirk = false) {
    this.layer = layer;
    this.#singdBlockDiagonalQuirk = singdBlockDiagonalQuirk;
    const [structureK, structureC] = layer.options.structures;
    const [dtypeK, dtypeC] = layer.dtypes;
    this.K = structureK.eye(layer.dimK, dtypeK);
    this.C = structureC.eye(layer.dimC, dtypeC);
    if (layer.options.alpha1 !== 0) {
      this.mK = structureK.zeros(layer.dimK, dtypeK);
      this.mC = structureC.zeros(layer.dimC, dtypeC);
    }
  }

  /**
   * The curvature terms from the program's outputs: `H_K = Π(Kᵀ aᵀa K)` with
   * `a = rows / √rows` (SINGD's `process_input`), and `H_C = Π(Cᵀ ĝᵀĝ C)`
   * with `ĝ = g · √N_loss / √s_{t−1}` (`process_grad_output`). Each side comes
   * either as the moment `Σ a aᵀ` (`[n, n]`; fewer entries when the batch
   * has more rows than n) or as the transposed rows `aᵀ` (`[n, rows]`, used
   * as SINGD does, through `fromInner(aᵀ)`).
   */
  curvatureTerms(input: LayerTerm, gradient: LayerTerm, rows: number, lossTerms: number, previousScale: number): CurvatureTerms {
    const [dtypeK, dtypeC] = this.layer.dtypes;
    const K = this.#quirky(this.K);
    const C = this.#quirky(this.C);
    const HK = input.kind === "diagonal"
      ? diagonalInner(K, input.value, 1 / rows, dtypeK)
      : input.kind === "moment"
        ? K.fromInner2(scaled(input.value, (v) => v / rows, dtypeK))
        : K.fromInner(scaled(input.value, (v) => v / Math.sqrt(rows), dtypeK));
    const HC = gradient.kind === "diagonal"
      ? diagonalInner(C, gradient.value, lossTerms / previousScale, dtypeC)
      : gradient.kind === "moment"
        ? C.fromInner2(scaled(gradient.value, (v) => v * (lossTerms / previousScale), dtypeC))
        : C.fromInner(scaled(gradient.value, previousScale === 1 ? (v) => v * Math.sqrt(lossTerms) : (v) => (v * Math.sqrt(lossTerms)) / Math.sqrt(previousScale), dtypeC));
    return { HK, HC };
  }

  /**
   * K and C as dense matrices, for the traced natural gradient of structured
   * layers. Made afresh for each step and not kept, so what a structured
   * layer holds between steps stays its structure's storage.
   */
  denseForms(): { readonly K: Tensor<FloatDType>; readonly C: Tensor<FloatDType> } {
    return { K: this.K.toDense(), C: this.C.toDense() };
  }

  /** Forgets what was derived from K and C (after they change). */
  invalidate(): void {
    this.products = undefined;
  }

  /**
   * SINGD's update of K, C, m_K, m_C at `step` from the curvature terms;
   * `gradUnscaling` is `s_{t−1} / s_t²`. Builds everything first and swaps
   * it in at the end.
   */
  update({ HK, HC }: CurvatureTerms, step: number, gradUnscaling: number): void {
    const { kfacLike, damping, alpha1, normalizeLrCov, lrCov } = this.layer.options;
    const { K, C } = this;
    const KtK = this.#quirky(K).fromInner();
    const CtC = this.#quirky(C).fromInner();
    // With normalized GD on K and C, (1 − α₁) keeps the largest |entry| of m_K, m_C from growing (SINGD).
    const scale = 0.5 * (normalizeLrCov ? 1 - alpha1 : 1);
    const mK = K.structure.zeros(K.dim, K.dtype)
      .addInPlace(HK, kfacLike ? 1 : gradUnscaling * HC.averageTrace())
      .addInPlace(KtK, damping * (kfacLike ? 1 : CtC.averageTrace()))
      .diagAddInPlace(-1).mulInPlace(scale);
    const mC = C.structure.zeros(C.dim, C.dtype)
      .addInPlace(HC, kfacLike ? gradUnscaling : gradUnscaling * HK.averageTrace())
      .addInPlace(CtC, damping * (kfacLike ? 1 : KtK.averageTrace()))
      .diagAddInPlace(-1).mulInPlace(scale);
    if (alpha1 !== 0) {
      mC.addInPlace(this.mC as typeof mC, alpha1);
      mK.addInPlace(this.mK as typeof mK, alpha1);
    }
    let betaK = lrCovAt(lrCov, step, this.layer.name);
    let betaC = betaK;
    if (normalizeLrCov) {
      betaK /= Math.max(1, mK.infinityVectorNorm());
      betaC /= Math.max(1, mC.infinityVectorNorm());
    }
    const nextK = K.clone().addInPlace(K.matmul(mK), -betaK);
    const nextC = C.clone().addInPlace(C.matmul(mC), -betaC);
    this.K = nextK;
    this.C = nextC;
    this.invalidate();
    if (alpha1 !== 0) {
      this.mK = mK;
      this.mC = mC;
    }
  }

  /** K Kᵀ and C Cᵀ, from the cache or computed (after a restored checkpoint). */
  denseProducts(): { readonly K: Tensor<FloatDType>; readonly C: Tensor<FloatDType> } {
    this.products ??= { K: this.K.matmat(this.K.toDense().transpose()), C: this.C.matmat(this.C.toDense().transpose()) };
    return this.products;
  }

  /**
   * `C Cᵀ G̃ K Kᵀ` for the joint gradient `G̃ = [∇W | ∇b]` (`[d_out, d_in(+1)]`),
   * in SINGD's order: `(K (Kᵀ G̃ᵀ))ᵀ` in K's dtype, then `C (Cᵀ ·)` in C's.
   */
  naturalGradient(gradient: Tensor<FloatDType>): Tensor<FloatDType> {
    const [dtypeK, dtypeC] = this.layer.dtypes;
    if (this.K instanceof DiagonalMatrix && this.C instanceof DiagonalMatrix) return diagonalNaturalGradient(gradient, this.K.diag, this.C.diag, dtypeK, dtypeC);
    const right = this.K.matmat(this.#quirky(this.K).rmatmat(asDtype(gradient.transpose(), dtypeK))).transpose();
    const both = this.C.matmat(this.#quirky(this.C).rmatmat(asDtype(right, dtypeC)));
    return asDtype(both, gradient.dtype as FloatDType);
  }

  /**
   * The matrix whose `rmatmat` and `fromInner` the update uses: `m` itself,
   * or, for a block-diagonal `m` with SINGD's quirk on, its transpose, so
   * that `rmatmat(X)` is `m X` and `fromInner()` is Π(m mᵀ) as in SINGD's
   * `BlockDiagonalMatrixTemplate` (right only for symmetric blocks).
   */
  #quirky(m: StructuredMatrix<FloatDType>): StructuredMatrix<FloatDType> {
    if (!this.#singdBlockDiagonalQuirk || !(m instanceof BlockDiagonalMatrix)) return m;
    return m.structure.fromDense(m.toDense().transpose());
  }
}

function asDtype(t: Tensor, dtype: FloatDType): Tensor<FloatDType> {
  const contiguous = t.dtype === dtype ? t : t.astype(dtype);
  return contiguous as Tensor<FloatDType>;
}

/** `f` of every entry of `t`, in `dtype`: a new tensor. */
function scaled(t: Tensor, f: (v: number) => number, dtype: FloatDType): Tensor<FloatDType> {
  const source = t.data as Float32Array | Float64Array;
  const out = new Tensor(dtype, t.shape);
  const target = out.data as Float32Array | Float64Array;
  for (let i = 0; i < source.length; i++) target[i] = f(source[i]);
  return out;
}

/**
 * `Π(Kᵀ M K)` for a diagonal K from `diag M` (`Σ r²`, unscaled) and the
 * factor of M: `k_i² · factor · (diag M)_i`, without forming M or the rows.
 */
function diagonalInner(K: StructuredMatrix<FloatDType>, momentDiagonal: Tensor, factor: number, dtype: FloatDType): StructuredMatrix<FloatDType> {
  const k = (K as DiagonalMatrix<FloatDType>).diag.data as Float32Array | Float64Array;
  const m = momentDiagonal.data as Float32Array | Float64Array;
  const out = new Tensor(dtype, [k.length]);
  const o = out.data as Float32Array | Float64Array;
  for (let i = 0; i < k.length; i++) o[i] = k[i] * k[i] * (m[i] * factor);
  return new DiagonalMatrix(out);
}

/** Rounds to float32 when `dtype` is float32 (the host path stores each intermediate in its dtype). */
const rounder = (dtype: FloatDType) => (dtype === "float32" ? Math.fround : (v: number) => v);

/**
 * `diag(c)² G̃ diag(k)²` without transposes, each entry multiplied in SINGD's
 * order (k, k, then c, c) and rounded to the dtypes it passes through.
 */
function diagonalNaturalGradient(gradient: Tensor<FloatDType>, k: Tensor<FloatDType>, c: Tensor<FloatDType>, dtypeK: FloatDType, dtypeC: FloatDType): Tensor<FloatDType> {
  const [rows, columns] = gradient.shape;
  const g = gradient.data as Float32Array | Float64Array;
  const kd = k.data as Float32Array | Float64Array;
  const cd = c.data as Float32Array | Float64Array;
  const out = new Tensor(gradient.dtype as FloatDType, [rows, columns]);
  const o = out.data as Float32Array | Float64Array;
  const [roundK, roundC] = [rounder(dtypeK), rounder(dtypeC)];
  for (let r = 0; r < rows; r++) {
    const cr = cd[r];
    for (let j = 0; j < columns; j++) {
      const kj = kd[j];
      const right = roundK(kj * roundK(kj * roundK(g[r * columns + j])));
      o[r * columns + j] = roundC(cr * roundC(cr * roundC(right)));
    }
  }
  return out;
}
