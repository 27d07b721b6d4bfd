/**
 * Graph inputs and outputs ({@link ValueInfo}) and `onnx.ValueInfoProto`
 * messages, both ways. A numeric extent is a `dim_value`, a symbolic one a
 * `dim_param`, and the unknown extent `"?"` an unnamed dimension.
 */
import { OnnxError } from "../errors.js";
import type { Dim, ValueInfo } from "../graph/ir.js";
import { UNKNOWN_DIM } from "../graph/symbolic-dim.js";
import { dataTypeOfDType, dtypeOfDataType } from "./data-types.js";
import { int64Bits, int64FromWire } from "./int64.js";
import type { DimensionMessage, ValueInfoMessage } from "./schema.js";

/** The `ValueInfoProto` of a graph input or output. */
export function valueInfoToProto(value: ValueInfo, what: string): ValueInfoMessage {
  const dim = value.shape.map((d, axis): DimensionMessage => {
    // ONNX reads equal dim_params as equal extents, so the "unknown" marker is
    // written as an unnamed dimension, never as a shared symbol.
    if (d === UNKNOWN_DIM) return {};
    if (typeof d === "string" && d !== "") return { dim_param: d };
    if (typeof d === "number" && Number.isSafeInteger(d) && d >= 0) return { dim_value: int64Bits(BigInt(d)) };
    throw new OnnxError(`${what} "${value.name}": extent ${JSON.stringify(d)} of axis ${axis} is neither a non-negative integer nor a symbol name`);
  });
  return {
    name: value.name,
    type: { tensor_type: { elem_type: dataTypeOfDType(value.dtype, `${what} "${value.name}"`), shape: { dim } } },
  };
}

/**
 * Names for dimensions that a model leaves unnamed (neither `dim_value` nor
 * `dim_param`, or a negative `dim_value`). Each such dimension may differ from every other, so each gets
 * its own symbol, `<value>_dim<axis>`, made unique against the symbols the
 * model does name.
 */
export class FreshDimNames {
  private readonly taken: Set<string>;

  constructor(namedSymbols: Iterable<string>) {
    this.taken = new Set(namedSymbols);
  }

  /** A symbol not used by the model nor handed out before. */
  next(valueName: string, axis: number): string {
    let name = `${valueName}_dim${axis}`;
    while (this.taken.has(name)) name += "_";
    this.taken.add(name);
    return name;
  }
}

/** The `dim_param` symbols that `values` name. */
export function namedSymbolsOf(values: readonly ValueInfoMessage[]): string[] {
  return values.flatMap((v) => (v.type?.tensor_type?.shape?.dim ?? []).map((d) => d.dim_param ?? "").filter((p) => p !== ""));
}

/**
 * The {@link ValueInfo} of a graph input or output. Values that are not
 * tensors, have no element type, or have no shape (unknown rank) are
 * {@link OnnxError}s: curv needs the rank of every graph input and output.
 */
export function valueInfoFromProto(message: ValueInfoMessage, what: string, freshNames: FreshDimNames): ValueInfo {
  const name = message.name ?? "";
  if (name === "") throw new OnnxError(`${what} has no name`);
  const tensorType = message.type?.tensor_type;
  if (!tensorType) throw new OnnxError(`${what} "${name}" is not a tensor (sequences, maps and optionals are not supported)`);
  const dtype = dtypeOfDataType(tensorType.elem_type ?? 0, `${what} "${name}"`);
  if (!tensorType.shape) throw new OnnxError(`${what} "${name}" has no shape; curv needs the rank of every graph input and output`);
  const shape = (tensorType.shape.dim ?? []).map((d, axis): Dim => {
    if (d.dim_param) return d.dim_param;
    // An own property, not a truthy check: protobufjs gives absent fields a
    // default (a zero) on the prototype, and 0 is a valid extent.
    const extent = Object.hasOwn(d, "dim_value") ? int64FromWire(d.dim_value!) : undefined;
    if (extent !== undefined && extent > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new OnnxError(`${what} "${name}": extent ${extent} of axis ${axis} is too large`);
    }
    // Some exporters write -1 for an unknown extent; onnx.proto's way is to
    // leave the dimension empty. Both are unknown, so both get a fresh symbol.
    return extent !== undefined && extent >= 0n ? Number(extent) : freshNames.next(name, axis);
  });
  return { name, dtype, shape };
}
