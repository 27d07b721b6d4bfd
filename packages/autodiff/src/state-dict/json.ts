/**
 * State dicts as JSON: `{ "0.weight": { "shape": [5, 7], "data": [...] }, ... }`,
 * data flat and row-major (the layout of the PyTorch fixtures). Numbers are
 * written as the shortest strings that round-trip float64, so a float64
 * state dict survives a round trip bit for bit.
 */
import { DTYPES, isDType, Tensor, tensor, ValueError, type DType } from "@curv/tensor";
import type { StateDict } from "../nn/module.js";

/** One tensor in JSON: its shape, its flat row-major data and (optionally) its dtype. */
export interface JsonTensor {
  readonly shape: readonly number[];
  /** Numbers; non-finite floats and negative zero as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`, `"-0"` (JSON has no literals for them). */
  readonly data: readonly (number | string)[];
  /** Default: the `defaultDType` of {@link stateDictFromJson}. */
  readonly dtype?: DType;
}

/** Options of {@link stateDictFromJson}. */
export interface StateDictFromJsonOptions {
  /** The dtype of entries that name none; default `"float64"` (JSON numbers are doubles). */
  readonly defaultDType?: DType;
}

/** Floats JSON numbers cannot carry (JSON.stringify writes NaN and infinities as null, -0 as 0), written as strings. */
const specialNumbers: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, "-Infinity": Number.NEGATIVE_INFINITY, "-0": -0 };

function parseEntry(key: string, entry: unknown, defaultDType: DType): Tensor {
  if (entry === null || typeof entry !== "object") throw new ValueError(`state dict JSON: "${key}" must be an object {shape, data}, got ${JSON.stringify(entry)}`);
  const { shape, data, dtype = defaultDType } = entry as Partial<JsonTensor>;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ValueError(`state dict JSON: "${key}".shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (!isDType(dtype)) throw new ValueError(`state dict JSON: "${key}".dtype must be one of ${DTYPES.join(", ")}, got ${JSON.stringify(dtype)}`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (!Array.isArray(data) || data.length !== size) {
    throw new ValueError(`state dict JSON: "${key}".data must be an array of ${size} numbers for shape [${shape.join(", ")}], got ${Array.isArray(data) ? `${data.length} entries` : typeof data}`);
  }
  const values = data.map((v, i) => {
    const number = typeof v === "string" && Object.hasOwn(specialNumbers, v) ? specialNumbers[v] : v;
    if (typeof number !== "number") throw new ValueError(`state dict JSON: "${key}".data[${i}] is not a number: ${JSON.stringify(v)}`);
    return number;
  });
  return tensor(values, { dtype, shape });
}

/**
 * Parses a JSON state dict (text or an already parsed object) into tensors,
 * in the file's key order.
 *
 * @example
 * ```ts
 * const state = stateDictFromJson(readFileSync("weights.json", "utf8"));
 * model.to("float64").loadStateDict(state);
 * ```
 */
export function stateDictFromJson(json: string | Readonly<Record<string, unknown>>, { defaultDType = "float64" }: StateDictFromJsonOptions = {}): StateDict {
  let parsed: unknown = json;
  if (typeof json === "string") {
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new ValueError(`state dict JSON: not valid JSON (${(error as Error).message})`, { cause: error });
    }
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new ValueError("state dict JSON: expected an object mapping names to {shape, data}");
  const result: StateDict = {};
  for (const [key, entry] of Object.entries(parsed)) result[key] = parseEntry(key, entry, defaultDType);
  return result;
}

/** The JSON form of one tensor (int64 entries must be safe integers). */
function toJsonTensor(key: string, t: Tensor): JsonTensor {
  if (!(t instanceof Tensor)) throw new ValueError(`stateDictToJson: "${key}" is not a Tensor`);
  const data = Array.from(t.data as ArrayLike<number | bigint>, (v) => {
    if (typeof v === "bigint") {
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new ValueError(`stateDictToJson: "${key}" holds ${v}, beyond the integers JSON numbers keep exactly`);
      return Number(v);
    }
    if (Object.is(v, -0)) return "-0";
    return Number.isFinite(v) ? v : String(v);
  });
  return { shape: [...t.shape], data, dtype: t.dtype };
}

/**
 * Writes a state dict as JSON (`{name: {shape, data, dtype}}`), keys in the
 * dict's order.
 *
 * @example
 * ```ts
 * writeFileAtomicSync("weights.json", stateDictToJson(model.stateDict()));
 * ```
 */
export function stateDictToJson(dict: Readonly<StateDict>, { space }: { space?: number } = {}): string {
  const entries = Object.entries(dict).map(([key, t]) => [key, toJsonTensor(key, t)] as const);
  return JSON.stringify(Object.fromEntries(entries), null, space);
}
