/**
 * What flows between ONNX nodes while a model is traced: traced autodiff
 * values, or small tensors known while tracing. Known tensors are how the
 * shape arithmetic torch.onnx.export writes (Shape → Gather → Unsqueeze →
 * Concat → Reshape) is evaluated at trace time: their entries are numbers
 * or, for extents of the symbolic batch axis, the axis name (`"batch"`).
 */
import { isFloat, OnnxError, tensor, type Dim, type DType, type FloatDType, type Tensor } from "@curv/tensor";
import { literal } from "../core/leaves.js";
import { Value } from "../core/value.js";

/** A tensor whose entries are known while tracing; symbolic extents appear as their names. */
export interface KnownTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly values: readonly Dim[];
}

/** A node input or output while tracing. */
export type Operand = Value | KnownTensor;

/** The known tensor holding a host tensor's entries. */
export function knownOf(t: Tensor): KnownTensor {
  return { dtype: t.dtype, shape: [...t.shape], values: Array.from(t.data as ArrayLike<number | bigint>, Number) };
}

/** A known int64 vector (what shape arithmetic produces). */
export function knownVector(values: readonly Dim[], dtype: DType = "int64"): KnownTensor {
  return { dtype, shape: [values.length], values: [...values] };
}

/** Whether `operand` is known while tracing. */
export function isKnown(operand: Operand): operand is KnownTensor {
  return !(operand instanceof Value);
}

/**
 * `operand` as a traced value. A known tensor becomes a literal; float
 * tensors take `floatDType` (the model's), so a float32 file imported for
 * float64 work computes in float64 throughout.
 */
export function asValue(operand: Operand, floatDType: FloatDType, what: string): Value {
  if (operand instanceof Value) return operand;
  const symbolic = operand.values.find((v) => typeof v === "string");
  if (symbolic !== undefined) {
    throw new OnnxError(`${what}: the symbolic extent "${symbolic}" is used as data, which importOnnx cannot trace (only as a shape)`);
  }
  const dtype = isFloat(operand.dtype) ? floatDType : operand.dtype;
  const values = operand.values as number[];
  const data = dtype === "int64" ? values.map((v) => BigInt(v)) : values;
  return literal(tensor(data, { dtype, shape: operand.shape }));
}

/** The entries of a known integer operand, for attributes given as inputs (axes, pads, shapes). */
export function knownEntries(operand: Operand | undefined, what: string): Dim[] {
  if (operand === undefined) throw new OnnxError(`${what} is missing`);
  if (!isKnown(operand)) {
    throw new OnnxError(`${what} is computed from the data (${operand}); importOnnx needs it to be a constant or a function of static shapes`);
  }
  return [...operand.values];
}

/** The entries of a known integer operand that must all be numbers (no symbolic extents). */
export function knownNumbers(operand: Operand | undefined, what: string): number[] {
  const entries = knownEntries(operand, what);
  const symbolic = entries.find((v) => typeof v === "string");
  if (symbolic !== undefined) throw new OnnxError(`${what} depends on the symbolic extent "${symbolic}"; it must be a number`);
  return entries as number[];
}
