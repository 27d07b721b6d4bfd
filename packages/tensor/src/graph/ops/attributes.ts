import { GraphError } from "../../errors.js";
import { Tensor } from "../../tensor.js";
import type { AttributeValue } from "../ir.js";
import type { AttributeKind, AttributeSpec } from "./operator.js";

/** A GraphError about one attribute: `attribute "axis" <problem>`. */
export function attributeError(name: string, problem: string): GraphError {
  return new GraphError(`attribute "${name}" ${problem}`);
}

const KIND_DESCRIPTIONS: Record<AttributeKind, string> = {
  int: "an integer",
  ints: "a list of integers",
  float: "a number",
  floats: "a list of numbers",
  string: "a string",
  tensor: "a Tensor",
};

function hasKind(value: AttributeValue, kind: AttributeKind): boolean {
  switch (kind) {
    case "int":
      return Number.isInteger(value);
    case "float":
      return typeof value === "number";
    case "string":
      return typeof value === "string";
    case "tensor":
      return value instanceof Tensor;
    case "ints":
      return Array.isArray(value) && value.every((v) => Number.isInteger(v));
    case "floats":
      return Array.isArray(value) && value.every((v) => typeof v === "number");
  }
}

function describe(value: AttributeValue): string {
  if (value instanceof Tensor) return `a ${value.dtype} Tensor`;
  return JSON.stringify(value);
}

/**
 * A node's attributes, checked against the operator's specs, with ONNX
 * defaults filled in. Construction throws a GraphError naming the attribute
 * for unknown names, wrong kinds, disallowed strings and missing required
 * attributes; the getters then return typed values.
 *
 * @example
 * ```ts
 * const reader = new AttributeReader({ axis: { kind: "int", default: -1 } }, {});
 * reader.int("axis"); // -1
 * new AttributeReader({ axis: { kind: "int" } }, { axis: 1.5 }); // GraphError: attribute "axis" must be an integer, got 1.5
 * ```
 */
export class AttributeReader {
  private readonly values: Readonly<Record<string, AttributeValue>>;
  private readonly specs: Readonly<Record<string, AttributeSpec>>;

  constructor(specs: Readonly<Record<string, AttributeSpec>>, values: Readonly<Record<string, AttributeValue>>) {
    for (const [name, value] of Object.entries(values)) {
      const spec = specs[name];
      if (spec === undefined) {
        const known = Object.keys(specs);
        throw attributeError(name, `is not an attribute of this operator (${known.length ? `known: ${known.join(", ")}` : "it has none"})`);
      }
      if (!hasKind(value, spec.kind)) throw attributeError(name, `must be ${KIND_DESCRIPTIONS[spec.kind]}, got ${describe(value)}`);
      if (spec.oneOf && !spec.oneOf.includes(value as string)) {
        throw attributeError(name, `must be one of ${spec.oneOf.join(", ")}, got ${describe(value)}`);
      }
    }
    for (const [name, spec] of Object.entries(specs)) {
      if (spec.required && values[name] === undefined) throw attributeError(name, "is required but missing");
    }
    this.specs = specs;
    this.values = values;
  }

  /** Whether the node sets the attribute itself (defaults do not count). */
  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  int(name: string, fallback?: number): number {
    return this.read(name, fallback) as number;
  }

  /**
   * A FLOAT attribute. ONNX stores these as 32-bit floats, so the value is
   * rounded to float32 here, as ONNX Runtime does: `epsilon: 1e-3` means
   * `Math.fround(1e-3)`, and float64 graphs then agree with ORT to the last bit.
   */
  float(name: string, fallback?: number): number {
    return Math.fround(this.read(name, fallback) as number);
  }

  string(name: string, fallback?: string): string {
    return this.read(name, fallback) as string;
  }

  ints(name: string, fallback?: readonly number[]): readonly number[] {
    return this.read(name, fallback) as readonly number[];
  }

  /** A FLOATS attribute, each entry rounded to float32 (see {@link AttributeReader.float}). */
  floats(name: string, fallback?: readonly number[]): readonly number[] {
    return (this.read(name, fallback) as readonly number[]).map(Math.fround);
  }

  tensor(name: string, fallback?: Tensor): Tensor {
    return this.read(name, fallback) as Tensor;
  }

  /** The value the node gives, else the ONNX default, else `fallback` (for defaults that depend on the inputs). */
  private read(name: string, fallback: AttributeValue | undefined): AttributeValue {
    const value = this.values[name] ?? this.specs[name]?.default ?? fallback;
    if (value === undefined) throw attributeError(name, "is required but missing");
    return value;
  }
}
