/**
 * Where a Fisher-type representation gets its numbers: NNGeometry's
 * "generator" (a model, examples and the square-root function whose
 * per-example Jacobians J_s give `F = (1/n) Σ J_sᵀ J_s`), expressed with
 * @curv/operators' machinery. The square root of each variant is a loss
 * whose Hessian square root (or MC would-be gradients) it is, times a
 * scalar `scale`, so every representation is an operator of @curv/operators
 * scaled on the host:
 *
 * | variant | loss (mean) | scale | outputs O |
 * |---|---|---|---|
 * | `classif_logits` | `CrossEntropyLoss({ hessianSqrt: "cholesky" })` | 1 | C − 1 |
 * | `classif_binary_logits` | `BCEWithLogitsLoss()` | 1 | 1 |
 * | `regression` | `MSELoss()` (Hessian 2/C) | C/2 | C |
 *
 * Under mean reduction each example weighs 1/N, NNGeometry's normalization.
 */
import type { CurvatureLoss, Module } from "@curv/autodiff";
import {
  EKFACLinearOperator, GGNDiagonalLinearOperator, GGNLinearOperator, KFACLinearOperator, ggnSquareRootRows,
  type CurvatureOptions, type DataSource, type EKFACLayerEigendecomposition, type KFACLayerFactors, type LinearOperator,
} from "@curv/operators";
import { Tensor, type FloatDType } from "@curv/tensor";
import type { LayerCollection } from "../layers/layer-collection.js";

/** The options of every helper that runs the model (those of @curv/operators' operators). */
export type RunOptions = Pick<CurvatureOptions, "runtime" | "providers" | "threads" | "progressbar" | "checkDeterministic" | "numData" | "batchSizeFn">;

/** The model, data and square root of a Fisher. */
export interface FisherSource {
  readonly model: Module;
  readonly loader: DataSource;
  readonly layerCollection: LayerCollection;
  /** The loss whose Hessian square root (or sampled gradients) is the variant's square root. */
  readonly loss: CurvatureLoss;
  /** The host scalar applied to the loss' curvature. */
  readonly scale: number;
  /** Seeds per example the loss' square root has but the variant has not (the Cholesky factor's zero last column): dropped from per-example rows. */
  readonly droppedSeeds: number;
  /** 0: exact; T > 0: Monte-Carlo with T sampled targets. */
  readonly mcSamples: number;
  readonly seed: number;
  readonly options: RunOptions;
  /** The model's dtype. */
  readonly dtype: FloatDType;
  /** The largest dense matrix (in bytes) PMatDense and PMatBlockDiag build. */
  readonly maxDenseBytes: number;
}

function operatorOptions(source: FisherSource): CurvatureOptions {
  return { ...source.options, seed: source.seed };
}

/** The names of `layers`' parameters (default the source's collection). */
function namesOf(source: FisherSource, layers: LayerCollection = source.layerCollection): string[] {
  return layers.parameterNames();
}

/**
 * Visits each batch's per-example square-root rows `[n_b, O, P_layers]`
 * (float64, scaled so that `F = Σ r rᵀ`), with n_b and O.
 */
export async function visitSquareRootRows(
  source: FisherSource, visit: (rows: Float64Array, examples: number, outputs: number) => void, layers: LayerCollection = source.layerCollection,
): Promise<void> {
  const names = namesOf(source, layers);
  const p = layers.numel();
  const rootScale = Math.sqrt(source.scale);
  await ggnSquareRootRows(source.model, source.loss, names, source.loader, { ...operatorOptions(source), mcSamples: source.mcSamples }, (parts) => {
    const [examples, seeds] = parts[0].shape;
    const kept = seeds - source.droppedSeeds;
    const rows = new Float64Array(examples * kept * p);
    let offset = 0;
    for (const part of parts) {
      const per = part.size / (examples * seeds);
      const data = part.data as ArrayLike<number>;
      for (let n = 0; n < examples; n++) {
        for (let k = 0; k < kept; k++) {
          const from = (n * seeds + k) * per;
          const to = (n * kept + k) * p + offset;
          for (let j = 0; j < per; j++) rows[to + j] = rootScale * data[from + j];
        }
      }
      offset += per;
    }
    visit(rows, examples, kept);
  });
}

/** The Fisher as an operator of @curv/operators (GGN or MC Fisher of the loss, scaled). */
export function fisherOperator(source: FisherSource): LinearOperator {
  const ggn = new GGNLinearOperator(source.model, source.loss, namesOf(source), source.loader, { ...operatorOptions(source), mcSamples: source.mcSamples });
  return source.scale === 1 ? ggn : ggn.scale(source.scale);
}

/** The Fisher's diagonal `[P]`, float64. */
export async function fisherDiagonal(source: FisherSource): Promise<Float64Array> {
  const diagonal = await GGNDiagonalLinearOperator.compute(source.model, source.loss, namesOf(source), source.loader, { ...operatorOptions(source), mcSamples: source.mcSamples });
  const out = new Float64Array(source.layerCollection.numel());
  let offset = 0;
  for (const part of diagonal.diagonal) {
    for (const x of part.data as Iterable<number>) out[offset++] = source.scale * x;
  }
  return out;
}

function kfacOptions(source: FisherSource): ConstructorParameters<typeof KFACLinearOperator>[4] {
  const mc = source.mcSamples > 0;
  return { ...operatorOptions(source), fisherType: mc ? "mc" : "type-2", mcSamples: mc ? source.mcSamples : 1, kfacApprox: "expand", separateWeightAndBias: false };
}

/** One layer's KFAC factors in float64: A (with the bias' one) and G (the variant's scale included). */
export interface KroneckerFactors {
  readonly A: Tensor<"float64">;
  readonly G: Tensor<"float64">;
}

/**
 * KFAC's factors by layer id (type-2 or MC, expand, bias joined to the
 * weight), and the operator's raw factors for EKFAC's later corrections.
 */
export async function kroneckerFactors(source: FisherSource): Promise<{ factors: Map<string, KroneckerFactors>; raw: Record<string, KFACLayerFactors> }> {
  const kfac = new KFACLinearOperator(source.model, source.loss, namesOf(source), source.loader, kfacOptions(source));
  // The factors as computed (float64), whatever the model's dtype.
  const raw = await kfac.factors({ dtype: "float64" });
  const factors = new Map<string, KroneckerFactors>();
  for (const layer of source.layerCollection.layers) {
    const f = raw[layer.id];
    const G = f.gradientCovariance.clone();
    for (let i = 0; i < G.data.length; i++) G.data[i] *= source.scale;
    factors.set(layer.id, { A: f.inputCovariance as Tensor<"float64">, G });
  }
  return { factors, raw };
}

/** EKFAC's eigenbases (those of `raw`'s factors) and corrected eigenvalues on the source's data, by layer id, scaled. */
export async function ekfacEigendecomposition(source: FisherSource, raw: Record<string, KFACLayerFactors>): Promise<Map<string, EKFACLayerEigendecomposition<"float64">>> {
  const ekfac = new EKFACLinearOperator(source.model, source.loss, namesOf(source), source.loader, { ...kfacOptions(source), kfacFactors: raw });
  const decomposition = await ekfac.eigendecomposition();
  const out = new Map<string, EKFACLayerEigendecomposition<"float64">>();
  for (const layer of source.layerCollection.layers) {
    const d = decomposition[layer.id];
    const eigenvalues = (d.eigenvalues as Tensor).astype("float64");
    for (let i = 0; i < eigenvalues.data.length; i++) eigenvalues.data[i] *= source.scale;
    out.set(layer.id, {
      layer: layer.id, gradientEigenvectors: d.gradientEigenvectors.astype("float64"),
      inputEigenvectors: (d.inputEigenvectors as Tensor).astype("float64"), eigenvalues,
    });
  }
  return out;
}
