/**
 * Symbolic values: the nodes programs are made of.
 *
 * A {@link Value} is immutable and hash-consed: applying the same primitive
 * with the same parameters to the same operands returns the very same object,
 * so common subexpressions are shared for free and values can be map keys
 * (the transformations keep their tangents, cotangents and batched values in
 * `Map<Value, ...>`). Leaves are program inputs (parameters, data, probe
 * vectors, random draws: never baked in) and literals (small constants such
 * as the `2` of `mul(x, 2)`).
 */
import { formatShape, ValueError, type Dim, type DType, type Tensor, type ValueType } from "@curv/tensor";
import type { Params, Primitive } from "./primitive.js";

/** Where a value comes from. */
export type ValueSource =
  | { readonly kind: "input"; readonly name: string }
  | { readonly kind: "literal"; readonly tensor: Tensor }
  | { readonly kind: "apply"; readonly primitive: Primitive; readonly inputs: readonly Value[]; readonly params: Params };

let nextId = 0;

/**
 * A symbolic tensor: a dtype, a (possibly symbolic) shape, and how it is
 * computed. Create leaves with {@link input} (inside {@link trace}) or
 * {@link literal}; everything else comes from primitive functions
 * (`add`, `exp`, `matmul`, ...).
 *
 * @example
 * ```ts
 * const x = input("x", "float64", ["batch", 3]);
 * const y = exp(x);
 * y.shape;                       // ["batch", 3]
 * exp(x) === y;                  // true: values are hash-consed
 * ```
 */
export class Value implements ValueType {
  /** A process-unique id, increasing in creation order (so operands precede their uses). */
  readonly id: number;
  readonly dtype: DType;
  readonly shape: readonly Dim[];
  readonly source: ValueSource;
  /** Values computed from this one, keyed structurally: the hash-consing table. */
  private readonly uses = new Map<string, Value>();

  private constructor(type: ValueType, source: ValueSource) {
    this.id = nextId++;
    this.dtype = type.dtype;
    this.shape = Object.freeze([...type.shape]);
    this.source = source;
  }

  /** The rank (number of axes). */
  get rank(): number {
    return this.shape.length;
  }

  /** `float64 [batch, 3]`, for messages. */
  toString(): string {
    return `${this.dtype} ${formatShape(this.shape)}`;
  }

  /** @internal A fresh leaf. */
  static leaf(type: ValueType, source: ValueSource & { kind: "input" | "literal" }): Value {
    return new Value(type, source);
  }

  /**
   * @internal The application of `primitive` to `inputs`, shared with any
   * earlier identical application. The table lives on the newest operand, so
   * it is collected together with the values it indexes (an old, shared
   * operand such as the literal `1` would otherwise keep every trace's
   * values alive).
   */
  static apply(primitive: Primitive, inputs: readonly Value[], params: Params, type: () => ValueType): Value {
    if (inputs.length === 0) throw new ValueError(`${primitive.name}: a primitive application needs at least one operand`);
    const key = `${primitive.name}|${inputs.map((i) => i.id).join(",")}|${stableKey(params)}`;
    const owner = inputs.reduce((newest, i) => (i.id > newest.id ? i : newest));
    const cached = owner.uses.get(key);
    if (cached !== undefined) return cached;
    const value = new Value(type(), { kind: "apply", primitive, inputs: [...inputs], params });
    owner.uses.set(key, value);
    return value;
  }
}

/** A deterministic string for parameters (object keys sorted; -0 kept apart from 0). */
export function stableKey(value: unknown): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (Array.isArray(value)) return `[${value.map(stableKey).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${k}:${stableKey((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

/** Whether `value` is a program input. */
export function isInput(value: Value): boolean {
  return value.source.kind === "input";
}

/** The name of an input value (throws for other values). */
export function inputName(value: Value): string {
  if (value.source.kind !== "input") throw new ValueError(`expected a program input, got a ${value.source.kind} value (${value})`);
  return value.source.name;
}
