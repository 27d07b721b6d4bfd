/**
 * Exact equality of constants and node attributes, plus short digests to
 * find candidates quickly. A digest only proposes a match; equality confirms
 * it, so a hash collision can never merge two different values.
 */
import { Tensor } from "../tensor.js";
import { Fnv1a64 } from "./fnv1a64.js";
import type { AttributeValue } from "./ir.js";

/**
 * Same dtype, shape and bytes (so `-0` differs from `0`, and a NaN equals the same NaN).
 *
 * @example
 * ```ts
 * tensorsEqual(tensor([1, 2]), tensor([1, 2]));                       // true
 * tensorsEqual(tensor([1, 2]), tensor([1, 2], { dtype: "float64" })); // false
 * ```
 */
export function tensorsEqual(a: Tensor, b: Tensor): boolean {
  if (a === b) return true;
  if (a.dtype !== b.dtype || a.ndim !== b.ndim || a.shape.some((d, i) => d !== b.shape[i])) return false;
  const x = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const y = new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** A digest of a tensor's dtype, shape and bytes. */
export function tensorDigest(value: Tensor): string {
  const hash = new Fnv1a64().string(value.dtype).number(value.ndim);
  for (const d of value.shape) hash.number(d);
  return hash.view(value.data).digest();
}

function attributeValuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if (a instanceof Tensor || b instanceof Tensor) return a instanceof Tensor && b instanceof Tensor && tensorsEqual(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  return Object.is(a, b);
}

/** Whether two attribute records hold the same names and values. */
export function attributesEqual(a: Readonly<Record<string, AttributeValue>>, b: Readonly<Record<string, AttributeValue>>): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => name in b && attributeValuesEqual(a[name], b[name]));
}

/** A canonical text of attributes (names sorted, tensors by digest), for grouping candidates. */
export function attributesKey(attributes: Readonly<Record<string, AttributeValue>>): string {
  return Object.keys(attributes)
    .sort()
    .map((name) => {
      const value = attributes[name];
      return `${name}=${value instanceof Tensor ? `tensor:${tensorDigest(value)}` : JSON.stringify(value)}`;
    })
    .join(";");
}
