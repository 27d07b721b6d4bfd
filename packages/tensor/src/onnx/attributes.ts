/**
 * Node attributes and `onnx.AttributeProto` messages, both ways.
 *
 * The graph IR keeps an attribute as a plain value (number, string, list or
 * tensor), but ONNX types every attribute, and ONNX Runtime refuses a model
 * whose attribute has the wrong type (`alpha` written as INT instead of FLOAT,
 * for example). A JavaScript number does not say whether it is an int or a
 * float, so the encoder decides by this rule:
 *
 * - a number, or a list of numbers, is FLOAT / FLOATS when its name is one of
 *   {@link FLOAT_ATTRIBUTE_NAMES} (the float attributes of the ONNX and ONNX
 *   Runtime operators curv uses, such as `alpha`, `beta`, `epsilon`,
 *   `momentum`, `value_float`) or when any of its numbers is not an integer;
 * - otherwise it is INT / INTS (`axis`, `perm`, `transA`, ...);
 * - operators whose attribute of a float name is an int are listed in
 *   {@link INTEGER_ATTRIBUTES_OF_OP} (`Dropout`'s `seed`);
 * - an empty list is INTS unless its name is a float name: `[]` carries no
 *   element type, so an empty list of strings is written as INTS too;
 * - a string is STRING, a list of strings STRINGS, a {@link Tensor} TENSOR.
 *
 * Decoding reads FLOAT values (which ONNX stores as float32) back as the
 * shortest decimal that rounds to the same float32, so `alpha: 0.01` reads
 * back as `0.01`, not `0.009999999776482582`, and encodes to the same bytes.
 */
import { OnnxError } from "../errors.js";
import type { AttributeValue } from "../graph/ir.js";
import { Tensor } from "../tensor.js";
import { int64Bits, int64FromNumber, int64FromWire } from "./int64.js";
import { AttributeType, attributeTypeName, type AttributeMessage } from "./schema.js";
import { tensorFromProto, tensorToProto } from "./tensor-proto.js";

/**
 * Attribute names whose numbers are written as FLOAT(S), even when they happen
 * to be integers (see the rule at the top of this file).
 *
 * @example
 * ```ts
 * FLOAT_ATTRIBUTE_NAMES.has("alpha"); // true: Gemm's alpha: 1 is written as FLOAT 1.0
 * FLOAT_ATTRIBUTE_NAMES.has("axis");  // false: axis: 1 is written as INT 1
 * ```
 */
export const FLOAT_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set([
  "alpha", // Elu, LeakyRelu, Selu, HardSigmoid, Gemm, LRN, Celu, ThresholdedRelu, FusedMatMul
  "beta", // Gemm, LRN, HardSigmoid
  "gamma", // Selu
  "bias", // LRN, Shrink
  "lambd", // Shrink
  "epsilon", // BatchNormalization, InstanceNormalization, LayerNormalization, ...
  "momentum", // BatchNormalization
  "ratio", // Dropout before opset 12
  "value", // Pad before opset 11 (Constant's `value` is a tensor)
  "value_float",
  "value_floats",
  "min", // Clip before opset 11
  "max",
  "mean", // RandomNormal(Like)
  "scale", // RandomNormal(Like), ImageScaler
  "low", // RandomUniform(Like)
  "high",
  "seed", // RandomNormal, RandomUniform, Bernoulli, Multinomial (not Dropout)
  "scales", // Upsample before opset 9
  "spatial_scale", // RoiAlign, MaxRoiPool
  "cubic_coeff_a", // Resize
  "extrapolation_value", // Resize
  "norm_coefficient", // Adagrad, Adam, Momentum (training)
  "norm_coefficient_post",
  "decay_factor",
]);

/**
 * Per operator, attributes of a float name that are ints for that operator.
 *
 * @example
 * ```ts
 * INTEGER_ATTRIBUTES_OF_OP.Dropout; // ["seed"]: RandomNormal's seed is a float, Dropout's an int
 * ```
 */
export const INTEGER_ATTRIBUTES_OF_OP: Readonly<Record<string, readonly string[]>> = {
  Dropout: ["seed"],
};

function isFloatAttribute(op: string, name: string): boolean {
  return FLOAT_ATTRIBUTE_NAMES.has(name) && !(INTEGER_ATTRIBUTES_OF_OP[op] ?? []).includes(name);
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * The `AttributeProto` for attribute `name` of a node of operator `op`, typed
 * by the rule in this file's header. `where` names the node for errors.
 */
export function attributeToProto(op: string, name: string, value: AttributeValue, where: string): AttributeMessage {
  const what = `${where}: attribute "${name}"`;
  if (value instanceof Tensor) return { name, type: AttributeType.TENSOR, t: tensorToProto(value) };
  if (typeof value === "string") return { name, type: AttributeType.STRING, s: utf8Encoder.encode(value) };
  if (typeof value === "number") {
    if (isFloatAttribute(op, name) || !Number.isInteger(value)) return { name, type: AttributeType.FLOAT, f: value };
    return { name, type: AttributeType.INT, i: int64Bits(int64FromNumber(value)) };
  }
  if (Array.isArray(value)) {
    const list = value as readonly unknown[];
    if (list.length > 0 && list.every((v) => typeof v === "string")) {
      return { name, type: AttributeType.STRINGS, strings: (list as string[]).map((s) => utf8Encoder.encode(s)) };
    }
    if (list.every((v) => typeof v === "number")) {
      const numbers = list as number[];
      if (isFloatAttribute(op, name) || numbers.some((v) => !Number.isInteger(v))) {
        return { name, type: AttributeType.FLOATS, floats: [...numbers] };
      }
      return { name, type: AttributeType.INTS, ints: numbers.map((v) => int64Bits(int64FromNumber(v))) };
    }
    throw new OnnxError(`${what}: a list must hold only numbers or only strings, got [${list.map(describe).join(", ")}]`);
  }
  throw new OnnxError(`${what}: expected a number, string, list of numbers or strings, or Tensor; got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return Object.prototype.toString.call(value);
  return `${typeof value} ${String(value)}`;
}

/**
 * The value of an `AttributeProto`. Attribute types the graph IR cannot hold
 * (subgraphs of If/Loop/Scan, tensor lists, sparse tensors, type protos) and
 * function-only references are {@link OnnxError}s naming `where` and the attribute.
 */
export function attributeFromProto(message: AttributeMessage, where: string): AttributeValue {
  const what = `${where}: attribute "${message.name ?? ""}"`;
  if (message.ref_attr_name) {
    throw new OnnxError(`${what} refers to function attribute "${message.ref_attr_name}", which only a function body may do`);
  }
  switch (message.type) {
    case AttributeType.FLOAT:
      return shortestFloat32(message.f ?? 0);
    case AttributeType.INT:
      return Number(int64FromWire(message.i ?? 0));
    case AttributeType.STRING:
      return utf8(message.s ?? new Uint8Array(), what);
    case AttributeType.TENSOR:
      if (!message.t) throw new OnnxError(`${what} has type TENSOR but no tensor`);
      return tensorFromProto(message.t, `${what} (a tensor)`);
    case AttributeType.FLOATS:
      return (message.floats ?? []).map(shortestFloat32);
    case AttributeType.INTS:
      return (message.ints ?? []).map((v) => Number(int64FromWire(v)));
    case AttributeType.STRINGS:
      return (message.strings ?? []).map((s) => utf8(s, what));
    default:
      throw new OnnxError(
        `${what} has type ${attributeTypeName(message.type ?? 0)}, which curv does not support; ` +
          "supported: FLOAT, INT, STRING, TENSOR, FLOATS, INTS, STRINGS (subgraphs such as If and Loop bodies are not)",
      );
  }
}

function utf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch (cause) {
    throw new OnnxError(`${what}: string is not valid UTF-8`, { cause });
  }
}

/**
 * The shortest decimal that rounds to the same float32 as `x` (a float32 value
 * widened to a double). ONNX stores FLOAT attributes as float32; this recovers
 * the value the author wrote, and encoding it again gives the same float32.
 */
export function shortestFloat32(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  // Nine significant digits identify every float32, so the loop always returns
  // for a float32 `x`.
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(x.toPrecision(digits));
    if (Math.fround(candidate) === x) return candidate;
  }
  return x;
}
