/** NNGeometry's `PFMapImplicit`: the Jacobian known only through `jvp`. */
import type { JacobianLinearOperator } from "@curv/operators";
import { DTypeError, Tensor, ValueError, type FloatDType } from "@curv/tensor";
import type { LayerCollection } from "../layers/layer-collection.js";
import { PVector } from "../vector/pvector.js";
import { FVector } from "./fvector.js";

/**
 * The Jacobian of the model's outputs as a map that is never stored:
 * `jvp` runs @curv/operators' `JacobianLinearOperator` (forward mode);
 * corresponds to NNGeometry's `PFMapImplicit` (which has `jvp` only).
 *
 * @example
 * ```ts
 * const J = await Jacobian({ model, loader, representation: PFMapImplicit });
 * (await J.jvp(v)).size();   // [C, N]
 * ```
 */
export class PFMapImplicit<D extends FloatDType = FloatDType> {
  readonly layerCollection: LayerCollection;
  readonly dtype: D;
  readonly operator: JacobianLinearOperator;

  constructor(layerCollection: LayerCollection, operator: JacobianLinearOperator, dtype: D) {
    this.layerCollection = layerCollection;
    this.operator = operator;
    this.dtype = dtype;
  }

  /** `[O, n, P]`. */
  size(): [number, number, number] {
    const [n, ...rest] = this.operator.outputShapes[0];
    return [rest.reduce((a, b) => a * b, 1), n, this.layerCollection.numel()];
  }

  /** `J v` as an FVector `[O, n]`. */
  async jvp(v: PVector<D>): Promise<FVector<D>> {
    if (!(v instanceof PVector)) throw new ValueError(`PFMapImplicit.jvp: expected a PVector, got ${String(v)}`);
    this.layerCollection.assertSame(v.layerCollection, "PFMapImplicit.jvp");
    if (v.dtype !== this.dtype) throw new DTypeError(`PFMapImplicit.jvp: the vector is ${v.dtype} but the map is ${this.dtype}`);
    const [o, n] = this.size();
    const product = await this.operator.matvec(v.toFlat().astype(this.operator.dtype));
    const out = new Tensor(this.dtype, [o, n]);
    // The operator's rows are (n, o); an FVector is (o, n).
    for (let i = 0; i < n; i++) for (let k = 0; k < o; k++) out.data[k * n + i] = product.data[i * o + k] as number;
    return new FVector(out);
  }
}
