import { ShapeError, ValueError } from "../errors.js";
import { Tensor } from "../tensor.js";
import { formatShape } from "../shape.js";

/** A function of tensors to a tensor, synchronous or not (a compiled program's run). */
export type TensorFunction = (inputs: readonly Tensor[]) => Tensor | Promise<Tensor>;

/** Options of {@link finiteDifferenceJvp}. */
export interface FiniteDifferenceOptions {
  /**
   * The step `h` along the direction. The default 1e-3 suits float64: the
   * fourth-order stencil's truncation error is O(h^4) ~ 1e-12 and its
   * rounding error O(eps / h) ~ 1e-13, relative to the function's scale.
   */
  step?: number;
}

/** `x + scale * v` in float64, for float inputs; other inputs (labels, masks) are passed through. */
function shifted(x: Tensor, v: Tensor | undefined, scale: number): Tensor {
  if (v === undefined || scale === 0) return x;
  if (x.dtype !== "float64" && x.dtype !== "float32") throw new ValueError(`finite differences: cannot move a ${x.dtype} input`);
  if (v.size !== x.size) throw new ShapeError(`finite differences: direction ${formatShape(v.shape)} does not fit input ${formatShape(x.shape)}`);
  const out = new Tensor(x.dtype, x.shape);
  for (let i = 0; i < x.size; i++) out.data[i] = (x.data[i] as number) + scale * Number(v.data[i]);
  return out;
}

/** The float64 values of `t`. */
function valuesOf(t: Tensor): Float64Array {
  return Float64Array.from(t.data as ArrayLike<number>, Number);
}

/**
 * The directional derivative of `f` at `inputs` along `directions` (one per
 * input; `undefined` holds that input fixed) by the fourth-order central
 * stencil `(f(x - 2hv) - 8 f(x - hv) + 8 f(x + hv) - f(x + 2hv)) / 12h`,
 * an independent reference for forward-mode derivatives. Returns a float64
 * tensor of `f`'s output shape.
 *
 * @example
 * ```ts
 * const x = tensor([1, 2], { dtype: "float64" });
 * const v = tensor([1, 0], { dtype: "float64" });
 * const d = await finiteDifferenceJvp(([x]) => mul(x, x), [x], [v]);   // [2, 0]
 * ```
 */
export async function finiteDifferenceJvp(
  f: TensorFunction,
  inputs: readonly Tensor[],
  directions: readonly (Tensor | undefined)[],
  { step = 1e-3 }: FiniteDifferenceOptions = {},
): Promise<Tensor<"float64">> {
  if (directions.length !== inputs.length) throw new ValueError(`finite differences: ${inputs.length} inputs but ${directions.length} directions`);
  if (!(step > 0)) throw new ValueError(`finite differences: step must be positive, got ${step}`);
  const at = (scale: number) => f(inputs.map((x, i) => shifted(x, directions[i], scale * step)));
  const weights: readonly [number, number][] = [[-2, 1], [-1, -8], [1, 8], [2, -1]];
  let shape: readonly number[] = [];
  let total: Float64Array | undefined;
  for (const [scale, weight] of weights) {
    const value = await at(scale);
    const values = valuesOf(value);
    if (total === undefined) {
      total = new Float64Array(values.length);
      shape = value.shape;
    } else if (values.length !== total.length) {
      throw new ShapeError(`finite differences: the function's output changed shape to ${formatShape(value.shape)}`);
    }
    for (let i = 0; i < values.length; i++) total[i] += (weight * values[i]) / (12 * step);
  }
  return new Tensor("float64", shape, total!);
}
