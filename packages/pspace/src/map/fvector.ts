/** NNGeometry's `FVector`: a vector in function space, `[O, n]` (outputs by examples). */
import { ShapeError, Tensor, formatShape, type FloatDType } from "@curv/tensor";

/**
 * A function-space vector `[O, n]`: one value per output and example;
 * corresponds to NNGeometry's `FVector`.
 *
 * @example
 * ```ts
 * const jv = jacobian.jvp(v);   // FVector [C, N]
 * jv.toDense().shape;           // [C, N]
 * ```
 */
export class FVector<D extends FloatDType = FloatDType> {
  readonly #data: Tensor<D>;

  constructor(data: Tensor<D>) {
    if (!(data instanceof Tensor) || data.ndim !== 2) throw new ShapeError(`FVector: expected a [O, n] tensor, got ${data instanceof Tensor ? formatShape(data.shape) : String(data)}`);
    this.#data = data.clone();
  }

  get dtype(): D {
    return this.#data.dtype;
  }

  /** `[O, n]`. */
  size(): [number, number] {
    return [this.#data.shape[0], this.#data.shape[1]];
  }

  /** The values (a copy); NNGeometry's `to_torch`. */
  toDense(): Tensor<D> {
    return this.#data.clone();
  }
}
