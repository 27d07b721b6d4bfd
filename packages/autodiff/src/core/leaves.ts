/**
 * The leaves of a program: inputs and literals.
 */
import { checkValueType, isFloat, tensor, ValueError, type Dim, type DType, type Tensor } from "@curv/tensor";
import { Value } from "./value.js";

/**
 * A program input: a parameter, a data batch, a probe vector or a random
 * draw. String extents are symbolic (`"batch"`) and bound when the program runs.
 * Usually made by {@link trace} from its input specs.
 *
 * @example
 * ```ts
 * const x = input("x", "float32", ["batch", 784]);
 * ```
 */
export function input(name: string, dtype: DType, shape: readonly Dim[]): Value {
  if (typeof name !== "string" || name === "") throw new ValueError(`input: expected a non-empty name, got ${JSON.stringify(name)}`);
  checkValueType({ dtype, shape }, `input "${name}"`);
  return Value.leaf({ dtype, shape }, { kind: "input", name });
}

// Scalar literals are shared by value, so `mul(x, 2)` twice is one node.
const scalarLiterals = new Map<string, Value>();

/**
 * A constant baked into the program: a number (a scalar of `dtype`) or a
 * tensor. Keep it to things that are truly constant (the `2` of `x * 2`, a
 * convolution's identity kernel); parameters and data are inputs.
 *
 * @example
 * ```ts
 * const half = literal(0.5, "float64");
 * ```
 */
export function literal(value: number | Tensor, dtype?: DType): Value {
  if (typeof value === "number") {
    const type = dtype ?? "float32";
    if (!isFloat(type) && !Number.isInteger(value)) throw new ValueError(`literal: ${value} is not a valid ${type}`);
    const key = `${type}:${Object.is(value, -0) ? "-0" : String(value)}`;
    let cached = scalarLiterals.get(key);
    if (cached === undefined) {
      const t = tensor([value], { dtype: type, shape: [] });
      cached = Value.leaf({ dtype: type, shape: [] }, { kind: "literal", tensor: t });
      scalarLiterals.set(key, cached);
    }
    return cached;
  }
  if (dtype !== undefined && dtype !== value.dtype) throw new ValueError(`literal: tensor is ${value.dtype}, asked for ${dtype}`);
  return Value.leaf({ dtype: value.dtype, shape: value.shape }, { kind: "literal", tensor: value });
}

/** The scalar value of a scalar literal, or undefined for anything else. */
export function scalarLiteralValue(value: Value): number | undefined {
  if (value.source.kind !== "literal" || value.source.tensor.size !== 1 || value.rank !== 0) return undefined;
  return value.source.tensor.item();
}

/** An operand: a traced value or a number (taking the dtype of the other operands). */
export type Operand = Value | number;

/** Turns numbers among `operands` into literals of the first traced operand's dtype. */
export function toValues(what: string, operands: readonly Operand[]): Value[] {
  const reference = operands.find((o): o is Value => o instanceof Value);
  if (reference === undefined) throw new ValueError(`${what}: at least one operand must be a traced value, got only numbers`);
  return operands.map((o) => (o instanceof Value ? o : literal(o, reference.dtype)));
}
