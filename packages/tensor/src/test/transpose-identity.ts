import { ShapeError } from "../errors.js";
import { formatShape } from "../shape.js";
import type { Tensor } from "../tensor.js";

type Tensors = Tensor | readonly Tensor[];

function list(x: Tensors): readonly Tensor[] {
  return Array.isArray(x) ? (x as readonly Tensor[]) : [x as Tensor];
}

/**
 * `<a, b>`: the sum of elementwise products, accumulated in float64, over a
 * tensor or over a list of tensors paired in order (a vector split into
 * parameter blocks).
 *
 * @example
 * ```ts
 * innerProduct(tensor([1, 2]), tensor([3, 4]));   // 11
 * ```
 */
export function innerProduct(a: Tensors, b: Tensors): number {
  const as = list(a);
  const bs = list(b);
  if (as.length !== bs.length) throw new ShapeError(`innerProduct: ${as.length} blocks against ${bs.length}`);
  let total = 0;
  as.forEach((x, k) => {
    const y = bs[k];
    if (x.size !== y.size) throw new ShapeError(`innerProduct: block ${k} has shapes ${formatShape(x.shape)} and ${formatShape(y.shape)}`);
    for (let i = 0; i < x.size; i++) total += Number(x.data[i]) * Number(y.data[i]);
  });
  return total;
}

/** The Euclidean norm of a tensor or list of tensors. */
export function norm(a: Tensors): number {
  return Math.sqrt(innerProduct(a, a));
}

/** What {@link checkTransposeIdentity} found. */
export interface TransposeCheck {
  ok: boolean;
  /** `<A v, w>` */
  forward: number;
  /** `<v, A^T w>` */
  adjoint: number;
  /** `|forward - adjoint|` relative to `max(|A v| |w|, |v| |A^T w|)`. */
  relativeError: number;
  message: string;
}

/**
 * The dot-product test of a transpose: `<A v, w> = <v, A^T w>` for a
 * linear map `A` (a JVP) and its claimed transpose (a VJP), within `rtol`
 * relative to the norms involved (so cancellation in the inner products
 * does not make the test unfair).
 *
 * @example
 * ```ts
 * const check = checkTransposeIdentity(jv, w, v, vjpOfW, { rtol: 1e-12 });
 * check.ok;   // true when the VJP is the JVP's transpose
 * ```
 */
export function checkTransposeIdentity(av: Tensors, w: Tensors, v: Tensors, atw: Tensors, { rtol = 1e-12 }: { rtol?: number } = {}): TransposeCheck {
  const forward = innerProduct(av, w);
  const adjoint = innerProduct(v, atw);
  const scale = Math.max(norm(av) * norm(w), norm(v) * norm(atw), Number.MIN_VALUE);
  const relativeError = Math.abs(forward - adjoint) / scale;
  const ok = relativeError <= rtol;
  const message = `<A v, w> = ${forward}, <v, A^T w> = ${adjoint}: relative error ${relativeError.toExponential(3)} ${ok ? "<=" : ">"} rtol ${rtol}`;
  return { ok, forward, adjoint, relativeError, message };
}

/** Throws with the report of {@link checkTransposeIdentity} unless the identity holds. */
export function assertTransposeIdentity(av: Tensors, w: Tensors, v: Tensors, atw: Tensors, tolerance?: { rtol?: number }, what = "transpose"): void {
  const check = checkTransposeIdentity(av, w, v, atw, tolerance);
  if (!check.ok) throw new Error(`${what}: ${check.message}`);
}
