/** NNGeometry's `Jacobian` and `GramMatrix` helpers: the outputs' Jacobian and its Gram matrix (NTK). */
import type { Module } from "@curv/autodiff";
import { JacobianLinearOperator, type DataSource } from "@curv/operators";
import { gemm, Tensor, ValueError, type FloatDType } from "@curv/tensor";
import { LayerCollection } from "../layers/layer-collection.js";
import { FMatDense } from "../map/fmat-dense.js";
import { PFMapDense } from "../map/pfmap-dense.js";
import { PFMapImplicit } from "../map/pfmap-implicit.js";
import type { RunOptions } from "./fisher-source.js";

/** {@link Jacobian}'s and {@link GramMatrix}'s arguments. */
export interface JacobianOptions<R> extends RunOptions {
  readonly model: Module;
  /** An array or synchronous iterable of `[X, y]` batches (the operator counts them at construction); y is ignored. */
  readonly loader: DataSource;
  readonly layerCollection?: LayerCollection;
  /** `PFMapDense` (default) or `PFMapImplicit`. */
  readonly representation?: R;
}

function jacobianOperator(options: JacobianOptions<unknown>): { lc: LayerCollection; operator: JacobianLinearOperator; dtype: FloatDType } {
  const { model, loader, layerCollection, representation: _, ...run } = options;
  const lc = layerCollection ?? LayerCollection.fromModel(model);
  const operator = new JacobianLinearOperator(model, lc.parameterNames(), loader, run);
  return { lc, operator, dtype: operator.dtype };
}

/** `J` `[O, n, P]` as float64 rows, by `N·O` reverse-mode products (one batched run per batch). */
async function denseJacobian(lc: LayerCollection, operator: JacobianLinearOperator): Promise<Tensor<"float64">> {
  const [n, ...rest] = operator.outputShapes[0];
  const o = rest.reduce((a, b) => a * b, 1);
  const p = lc.numel();
  const transposed = (await operator.adjoint().toDense()).astype("float64"); // [P, n·O], columns (i, o)
  const out = new Tensor("float64", [o, n, p]);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) for (let k = 0; k < o; k++) out.data[(k * n + i) * p + j] = transposed.data[j * n * o + i * o + k];
  }
  return out;
}

/**
 * The Jacobian of the model's outputs over the loader's examples, `[O, n, P]`
 * (O = the output's entries per example), unnormalized; corresponds to
 * NNGeometry's `Jacobian` (the model's own output as the function).
 *
 * @example
 * ```ts
 * const J = await Jacobian({ model, loader });                       // PFMapDense
 * const Jlazy = await Jacobian({ model, loader, representation: PFMapImplicit });
 * ```
 */
export async function Jacobian(options: JacobianOptions<typeof PFMapDense>): Promise<PFMapDense>;
export async function Jacobian(options: JacobianOptions<typeof PFMapImplicit>): Promise<PFMapImplicit>;
export async function Jacobian(options: JacobianOptions<typeof PFMapDense | typeof PFMapImplicit>): Promise<PFMapDense | PFMapImplicit> {
  const representation = options.representation ?? PFMapDense;
  if (representation !== PFMapDense && representation !== PFMapImplicit) throw new ValueError(`Jacobian: representation must be PFMapDense or PFMapImplicit, got ${String(representation)}`);
  const { lc, operator, dtype } = jacobianOperator(options);
  if (representation === PFMapImplicit) return new PFMapImplicit(lc, operator, dtype);
  return new PFMapDense(lc, await denseJacobian(lc, operator), dtype);
}

/**
 * The Gram matrix of the outputs' Jacobian, the empirical NTK,
 * `K[o, i, o', j] = J[o, i] · J[o', j]` `[O, n, O, n]`; corresponds to
 * NNGeometry's `GramMatrix`.
 *
 * @example
 * ```ts
 * const K = await GramMatrix({ model, loader });
 * K.toDense().shape;   // [C, N, C, N]
 * ```
 */
export async function GramMatrix(options: JacobianOptions<typeof FMatDense>): Promise<FMatDense> {
  const { lc, operator, dtype } = jacobianOperator(options);
  const jacobian = await denseJacobian(lc, operator);
  const [o, n, p] = jacobian.shape;
  const rows = new Tensor("float64", [o * n, p], jacobian.data);
  const gram = gemm(rows, rows, undefined, { transB: true });
  return new FMatDense(new Tensor("float64", [o, n, o, n], gram.data), dtype);
}
