/**
 * Arithmetic on possibly symbolic extents, for shape inference.
 *
 * A symbolic extent is a string. Plain names (`"batch"`) come from graph
 * inputs; shape inference derives expressions from them in a canonical form
 * (`"batch*7"`, `"batch+2"`: factors and terms sorted, constants folded) so
 * that the same extent reached two ways is the same string. Where an extent
 * cannot be written as such an expression (a data-dependent reshape, a strided
 * window over a symbolic axis) it is {@link UNKNOWN_DIM}.
 */
import { ShapeError } from "../errors.js";
import { formatShape } from "../shape.js";
import type { Dim } from "./ir.js";

/**
 * An extent that shape inference cannot express. Every unknown extent is this
 * same string, but two unknown extents are not known to be equal: comparisons
 * treat it as a wildcard, never as a name.
 */
export const UNKNOWN_DIM = "?";

/** Whether `dim` is an unknown extent (any string starting with `?`). */
export function isUnknownDim(dim: Dim): boolean {
  return typeof dim === "string" && dim.startsWith("?");
}

/** Whether every extent of `shape` is a number. */
export function isStaticShape(shape: readonly Dim[]): shape is readonly number[] {
  return shape.every((d) => typeof d === "number");
}

/**
 * Whether two extents may be equal when the graph runs: false only when both
 * are numbers and differ (symbols may take any value).
 */
export function dimsMayBeEqual(a: Dim, b: Dim): boolean {
  return typeof a !== "number" || typeof b !== "number" || a === b;
}

/** Whether a declared extent agrees with an inferred one: equal, or either unknown. */
export function dimsAgree(declared: Dim, inferred: Dim): boolean {
  return declared === inferred || isUnknownDim(declared) || isUnknownDim(inferred);
}

/**
 * NumPy broadcasting of possibly symbolic shapes. A symbol against a number
 * `n > 1` gives `n` (the symbol must be 1 or `n`); two different symbols give
 * an unknown extent. Throws a ShapeError when two numbers clash.
 *
 * @example
 * ```ts
 * broadcastDims([["batch", 1], [5]]); // ["batch", 5]
 * broadcastDims([["n"], ["m"]]);      // ["?"]
 * ```
 */
export function broadcastDims(shapes: readonly (readonly Dim[])[]): Dim[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: Dim[] = new Array<Dim>(rank).fill(1);
  for (const shape of shapes) {
    const lead = rank - shape.length;
    shape.forEach((d, i) => {
      const merged = broadcastPair(out[lead + i], d);
      if (merged === undefined) {
        throw new ShapeError(`cannot broadcast shapes ${shapes.map((s) => formatShape(s)).join(" and ")}`);
      }
      out[lead + i] = merged;
    });
  }
  return out;
}

function broadcastPair(a: Dim, b: Dim): Dim | undefined {
  if (a === b || b === 1) return a;
  if (a === 1) return b;
  if (typeof a === "number" && typeof b === "number") return undefined;
  if (typeof a === "number") return a;
  if (typeof b === "number") return b;
  return UNKNOWN_DIM;
}

/** A product: a numeric coefficient times symbolic factors (sorted). */
interface Product {
  coefficient: number;
  factors: string[];
}

/** Splits `text` at `separator` where it is not inside parentheses. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function isNumeral(text: string): boolean {
  return /^-?\d+$/.test(text);
}

/** Whether `text` is a sum or difference outside parentheses (a leading minus sign does not count). */
function hasTopLevelSum(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (depth === 0 && (c === "+" || (c === "-" && i > 0))) return true;
  }
  return false;
}

function parseProduct(dim: Dim): Product {
  if (typeof dim === "number") return { coefficient: dim, factors: [] };
  const product: Product = { coefficient: 1, factors: [] };
  for (const factor of hasTopLevelSum(dim) ? [dim] : splitTopLevel(dim, "*")) {
    if (isNumeral(factor)) product.coefficient *= Number(factor);
    else product.factors.push(hasTopLevelSum(factor) ? `(${factor})` : factor);
  }
  product.factors.sort();
  return product;
}

function formatProduct({ coefficient, factors }: Product): Dim {
  if (coefficient === 0 || factors.length === 0) return coefficient;
  return coefficient === 1 ? factors.join("*") : [...factors, String(coefficient)].join("*");
}

/**
 * The product of extents: a number when all are numbers, else a canonical expression.
 *
 * @example
 * ```ts
 * multiplyDims(["batch", 7, 3]); // "batch*21"
 * multiplyDims([2, 3]);          // 6
 * ```
 */
export function multiplyDims(dims: readonly Dim[]): Dim {
  if (dims.some(isUnknownDim)) return dims.includes(0) ? 0 : UNKNOWN_DIM;
  const total: Product = { coefficient: 1, factors: [] };
  for (const d of dims) {
    const p = parseProduct(d);
    total.coefficient *= p.coefficient;
    total.factors.push(...p.factors);
  }
  total.factors.sort();
  return formatProduct(total);
}

/**
 * `dividend / divisor` when the quotient is exact and expressible (numeric
 * coefficients divide, symbolic factors cancel), else unknown.
 *
 * @example
 * ```ts
 * divideDims("batch*21", 7);       // "batch*3"
 * divideDims("batch*21", "batch"); // 21
 * divideDims("batch", 2);          // "?"
 * ```
 */
export function divideDims(dividend: Dim, divisor: Dim): Dim {
  if (isUnknownDim(dividend) || isUnknownDim(divisor)) return UNKNOWN_DIM;
  const a = parseProduct(dividend);
  const b = parseProduct(divisor);
  if (b.coefficient === 0 || a.coefficient % b.coefficient !== 0) return UNKNOWN_DIM;
  const factors = [...a.factors];
  for (const f of b.factors) {
    const at = factors.indexOf(f);
    if (at === -1) return UNKNOWN_DIM;
    factors.splice(at, 1);
  }
  return formatProduct({ coefficient: a.coefficient / b.coefficient, factors });
}

/**
 * The sum of extents: a number when all are numbers, else a canonical expression.
 *
 * @example
 * ```ts
 * addDims(["batch", 1, 1]); // "batch+2"
 * addDims(["batch+2", -2]); // "batch"
 * ```
 */
export function addDims(dims: readonly Dim[]): Dim {
  if (dims.some(isUnknownDim)) return UNKNOWN_DIM;
  let constant = 0;
  const terms: string[] = [];
  for (const d of dims) {
    if (typeof d === "number") {
      constant += d;
      continue;
    }
    for (const term of splitSum(d)) {
      if (isNumeral(term)) constant += Number(term);
      else terms.push(term);
    }
  }
  if (terms.length === 0) return constant;
  terms.sort();
  const sum = terms.join("+");
  return constant === 0 ? sum : constant > 0 ? `${sum}+${constant}` : `${sum}${constant}`;
}

/** Terms of a canonical sum; a trailing negative constant (`"n-2"`) becomes the term `"-2"`. */
function splitSum(dim: string): string[] {
  const terms = splitTopLevel(dim, "+");
  const last = terms[terms.length - 1];
  const negative = /^(.*[^-])(-\d+)$/.exec(last);
  if (negative && !negative[1].includes("(")) terms.splice(terms.length - 1, 1, negative[1], negative[2]);
  return terms;
}
