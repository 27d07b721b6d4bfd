/**
 * Layout and shape operators: Shape, Gather, Unsqueeze, Squeeze, Concat,
 * Slice, Reshape, Flatten, Transpose, Expand, ConstantOfShape, Range, Split,
 * Trilu. Each works on traced values
 * (through reshape, slice, concat, transpose, broadcastTo) and on known
 * tensors, which is how the Shape → Gather → Unsqueeze → Concat → Reshape
 * chains of torch.onnx.export are evaluated while tracing: the batch extent
 * travels through them as its symbol.
 */
import { broadcastDims, isFloat, multiplyDims, sizeOf, type Dim } from "@curv/tensor";
import { embeddingLookup } from "../composites/embedding.js";
import type { Value } from "../core/value.js";
import { broadcastTo, concat, mul, reshape, slice, transpose, type SliceRange } from "../primitives/index.js";
import { valueInput } from "./elementwise-operators.js";
import type { NodeContext } from "./node-context.js";
import { asValue, isKnown, knownEntries, knownNumbers, knownVector, type KnownTensor, type Operand } from "./operand.js";
import type { OperatorMapping } from "./operator-mapping.js";

/** The shape of an operand (known tensors' shapes are numbers). */
function shapeOf(operand: Operand): readonly Dim[] {
  return operand.shape;
}

function inputAt(inputs: readonly (Operand | undefined)[], index: number, node: NodeContext): Operand {
  const operand = inputs[index];
  if (operand === undefined) node.fail(`input ${index} is missing`);
  return operand;
}

/** `axes` given as an input (newer opsets) or an attribute (older ones). */
export function axesOf(inputs: readonly (Operand | undefined)[], index: number, node: NodeContext): number[] | undefined {
  if (inputs[index] !== undefined) return knownNumbers(inputs[index], `${node.description}: axes`);
  return node.ints("axes");
}

function normalizeAxis(axis: number, rank: number, node: NodeContext): number {
  const normalized = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(normalized) || normalized < 0 || normalized >= rank) node.fail(`axis ${axis} is out of range for rank ${rank}`);
  return normalized;
}

/** `operand` under `shape` (same entries, row-major). */
function reshaped(operand: Operand, shape: readonly Dim[], node: NodeContext): Operand {
  if (!isKnown(operand)) return reshape(operand, shape);
  if (!shape.every((d): d is number => typeof d === "number")) node.fail(`cannot give a known tensor the symbolic shape [${shape}]`);
  const rest = shape.reduce((n, d) => (d === -1 ? n : n * d), 1);
  const resolved = shape.map((d) => (d === -1 ? sizeOf(operand.shape) / rest : d));
  if (sizeOf(resolved) !== sizeOf(operand.shape)) node.fail(`cannot reshape a known tensor of shape [${operand.shape}] to [${shape}]`);
  return { ...operand, shape: resolved };
}

const shapeOperator: OperatorMapping = (inputs, node: NodeContext) => {
  const dims = shapeOf(inputAt(inputs, 0, node));
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + dims.length : v, 0), dims.length);
  const start = clamp(node.int("start", 0));
  const end = clamp(node.int("end", dims.length));
  return [knownVector(dims.slice(start, end))];
};

/** NumPy's `take` on a known tensor of rank <= 1 (shape vectors). */
function gatherKnown(data: KnownTensor, indices: KnownTensor, node: NodeContext): KnownTensor {
  if (data.shape.length !== 1) node.unsupported(`Gather from a known tensor of rank ${data.shape.length}`);
  const values = indices.values.map((i) => {
    if (typeof i !== "number") return node.fail(`index ${i} is not a number`);
    return data.values[normalizeAxis(i, data.shape[0], node)];
  });
  return { dtype: data.dtype, shape: [...indices.shape], values };
}

/** Gather with known indices from a traced value: slices along `axis`, joined (and the axis dropped for a scalar index). */
function gatherTraced(x: Value, indices: KnownTensor, axis: number, node: NodeContext): Value {
  const extent = x.shape[axis];
  if (typeof extent !== "number") node.unsupported(`Gather along the symbolic axis ${axis} of ${x}`);
  const pieces = indices.values.map((i) => {
    if (typeof i !== "number") return node.fail(`index ${i} is not a number`);
    const k = normalizeAxis(i, extent, node);
    return slice(x, [[axis, k, k + 1]]);
  });
  const joined = concat(pieces, axis);
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  return reshape(joined, shape);
}

/**
 * Gather with indices from the data: an embedding lookup (`Gather(weight,
 * tokens)` as torch.onnx.export writes nn.Embedding), rows of a matrix
 * picked by integer indices.
 */
function gatherRows(data: Operand, indices: Value, axis: number, node: NodeContext): Value {
  if (axis !== 0 || data.shape.length !== 2) {
    node.unsupported(`Gather with indices computed from the data, other than rows of a matrix (axis ${axis}, data of rank ${data.shape.length})`);
  }
  if (indices.dtype !== "int64" && indices.dtype !== "int32") node.fail(`indices must be int64 or int32, got ${indices.dtype}`);
  const table = asValue(data, node.floatDType, node.description);
  if (!isFloat(table.dtype)) node.unsupported(`Gather of ${table.dtype} rows with indices computed from the data`);
  return embeddingLookup(table, indices);
}

const gather: OperatorMapping = (inputs, node: NodeContext) => {
  const data = inputAt(inputs, 0, node);
  const indices = inputAt(inputs, 1, node);
  const axis = normalizeAxis(node.int("axis", 0), data.shape.length, node);
  if (!isKnown(indices)) return [gatherRows(data, indices, axis, node)];
  if (isKnown(data)) {
    if (axis !== 0) node.unsupported(`Gather along axis ${axis} of a known tensor`);
    return [gatherKnown(data, indices, node)];
  }
  return [gatherTraced(data, indices, axis, node)];
};

const unsqueeze: OperatorMapping = (inputs, node: NodeContext) => {
  const data = inputAt(inputs, 0, node);
  const axes = axesOf(inputs, 1, node);
  if (axes === undefined) node.fail("axes are missing");
  const rank = data.shape.length + axes.length;
  const inserted = new Set(axes.map((a) => normalizeAxis(a, rank, node)));
  const rest = [...shapeOf(data)];
  const shape = Array.from({ length: rank }, (_, axis) => (inserted.has(axis) ? 1 : (rest.shift() as Dim)));
  return [reshaped(data, shape, node)];
};

const squeeze: OperatorMapping = (inputs, node: NodeContext) => {
  const data = inputAt(inputs, 0, node);
  const dims = shapeOf(data);
  const axes = axesOf(inputs, 1, node);
  const removed = new Set(axes === undefined ? dims.flatMap((d, i) => (d === 1 ? [i] : [])) : axes.map((a) => normalizeAxis(a, dims.length, node)));
  for (const axis of removed) if (dims[axis] !== 1) node.fail(`cannot squeeze axis ${axis} of extent ${dims[axis]}`);
  return [reshaped(data, dims.filter((_, i) => !removed.has(i)), node)];
};

const concatOperator: OperatorMapping = (inputs, node: NodeContext) => {
  const operands = inputs.map((_, i) => inputAt(inputs, i, node));
  const known = operands.filter(isKnown);
  if (known.length === operands.length) {
    if (known.some((o) => o.shape.length !== 1)) node.unsupported("Concat of known tensors of rank other than 1");
    return [knownVector(known.flatMap((o) => o.values), known[0].dtype)];
  }
  const axis = node.int("axis", 0);
  return [concat(operands.map((_, i) => valueInput(inputs, i, node)), axis)];
};

/** A Slice range `[start, end)` of an axis of `extent`, clamped as ONNX does; a symbolic extent allows only "from a start to the end". */
function sliceRange(start: number, end: number, extent: Dim, node: NodeContext): [number, Dim] {
  if (typeof extent !== "number") {
    // Exporters write "to the end" as a huge end (INT64_MAX).
    if (start < 0 || end < Number.MAX_SAFE_INTEGER) node.unsupported(`Slice [${start}, ${end}) of the symbolic extent "${extent}"`);
    return [start, extent];
  }
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + extent : v, 0), extent);
  return [clamp(start), Math.max(clamp(start), clamp(end))];
}

const sliceOperator: OperatorMapping = (inputs, node: NodeContext) => {
  const data = inputAt(inputs, 0, node);
  const fromAttributes = node.opset < 10;
  const starts = fromAttributes ? node.ints("starts") ?? [] : knownNumbers(inputs[1], `${node.description}: starts`);
  const ends = fromAttributes ? node.ints("ends") ?? [] : knownNumbers(inputs[2], `${node.description}: ends`);
  const axes = (fromAttributes ? node.ints("axes") : axesOf(inputs, 3, node)) ?? starts.map((_, i) => i);
  const steps = inputs[4] === undefined ? starts.map(() => 1) : knownNumbers(inputs[4], `${node.description}: steps`);
  if (steps.some((s) => s !== 1)) node.unsupported(`Slice with steps [${steps}]`);
  const dims = shapeOf(data);
  const ranges: SliceRange[] = axes.map((a, i) => {
    const axis = normalizeAxis(a, dims.length, node);
    return [axis, ...sliceRange(starts[i], ends[i], dims[axis], node)];
  });
  if (!isKnown(data)) return [slice(data, ranges)];
  if (dims.length !== 1) node.unsupported(`Slice of a known tensor of rank ${dims.length}`);
  const [, start, end] = ranges[0] ?? [0, 0, dims[0]];
  return [knownVector(data.values.slice(start, end as number), data.dtype)];
};

const reshapeOperator: OperatorMapping = (inputs, node: NodeContext) => {
  const data = inputAt(inputs, 0, node);
  const target = knownEntries(inputs[1], `${node.description}: the target shape`);
  // With allowzero = 0 (the default), a 0 copies the input's extent on that axis.
  const keepZeros = node.int("allowzero", 0) !== 0;
  const shape = target.map((d, i) => (d === 0 && !keepZeros ? shapeOf(data)[i] : d));
  return [reshaped(data, shape, node)];
};

const flatten: OperatorMapping = (inputs, node: NodeContext) => {
  const data = inputAt(inputs, 0, node);
  const dims = shapeOf(data);
  const axis = node.int("axis", 1);
  const split = axis < 0 ? axis + dims.length : axis;
  if (split < 0 || split > dims.length) node.fail(`axis ${axis} is out of range for rank ${dims.length}`);
  return [reshaped(data, [multiplyDims(dims.slice(0, split)), multiplyDims(dims.slice(split))], node)];
};

const transposeOperator: OperatorMapping = (inputs, node: NodeContext) => {
  const x = valueInput(inputs, 0, node);
  const perm = node.ints("perm") ?? [...x.shape.keys()].reverse();
  return [transpose(x, perm)];
};

const expand: OperatorMapping = (inputs, node: NodeContext) => {
  const x = valueInput(inputs, 0, node);
  const shape = knownEntries(inputs[1], `${node.description}: the shape`);
  // ONNX Expand broadcasts both ways: an extent of 1 in `shape` keeps the input's.
  return [broadcastTo(x, broadcastDims([x.shape, shape]))];
};

/** ConstantOfShape: a known tensor of the fill value (numeric shape), or the value broadcast to a symbolic shape. */
const constantOfShape: OperatorMapping = (inputs, node: NodeContext) => {
  const shape = knownEntries(inputs[0], `${node.description}: the shape`);
  const fill = node.tensor("value");
  const dtype = fill?.dtype ?? "float32";
  const value = fill === undefined ? 0 : Number(fill.data[0]);
  if (shape.every((d): d is number => typeof d === "number")) return [{ dtype, shape, values: new Array<Dim>(sizeOf(shape)).fill(value) }];
  return [broadcastTo(asValue({ dtype, shape: [], values: [value] }, node.floatDType, node.description), shape)];
};

/** Range(start, limit, delta) on known scalars (position ids, causal masks). */
const range: OperatorMapping = (inputs, node: NodeContext) => {
  const [start, limit, delta] = [0, 1, 2].map((i) => {
    const operand = inputs[i];
    if (operand === undefined || !isKnown(operand)) return node.unsupported(`Range with input ${i} computed from the data`);
    return knownNumbers(operand, `${node.description}: input ${i}`)[0];
  });
  if (delta === 0) node.fail("delta must not be 0");
  const count = Math.max(Math.ceil((limit - start) / delta), 0);
  const dtype = isKnown(inputs[0] as Operand) ? (inputs[0] as KnownTensor).dtype : "int64";
  return [{ dtype, shape: [count], values: Array.from({ length: count }, (_, k) => start + k * delta) }];
};

/** Split along `axis` into the sizes of input 1 (opset 13+) or `split`, else into equal parts (one per output, or `num_outputs`). */
const split: OperatorMapping = (inputs, node: NodeContext) => {
  const x = valueInput(inputs, 0, node);
  const axis = normalizeAxis(node.int("axis", 0), x.rank, node);
  const extent = x.shape[axis];
  if (typeof extent !== "number") node.unsupported(`Split of the symbolic axis ${axis}`);
  const count = node.node.outputs.length;
  const given = inputs[1] !== undefined ? knownNumbers(inputs[1], `${node.description}: split`) : node.ints("split");
  const sizes = given ?? Array.from({ length: count }, (_, i) => Math.ceil(extent / count) - (i === count - 1 ? Math.ceil(extent / count) * count - extent : 0));
  if (sizes.reduce((a, b) => a + b, 0) !== extent) node.fail(`split sizes [${sizes}] do not add up to the extent ${extent} of axis ${axis}`);
  let start = 0;
  return sizes.map((size) => {
    const piece = slice(x, [[axis, start, start + size]]);
    start += size;
    return piece;
  });
};

/**
 * Trilu: the upper (`upper = 1`, the default) or lower triangle of the last
 * two axes, shifted by the diagonal offset `k` (input 1): evaluated on a
 * known tensor (causal masks built from constants), a mask product on a
 * traced one.
 */
const trilu: OperatorMapping = (inputs, node: NodeContext) => {
  const data = inputAt(inputs, 0, node);
  const k = inputs[1] === undefined ? 0 : knownNumbers(inputs[1], `${node.description}: k`)[0];
  const upper = node.int("upper", 1) !== 0;
  const [rows, columns] = data.shape.slice(-2);
  if (data.shape.length < 2 || typeof rows !== "number" || typeof columns !== "number") node.unsupported(`Trilu of the shape [${data.shape}]`);
  const keep = (index: number) => {
    const i = Math.floor(index / columns) % rows;
    const j = index % columns;
    return upper ? j - i >= k : j - i <= k;
  };
  if (isKnown(data)) return [{ ...data, values: data.values.map((v, index) => (keep(index) ? v : 0)) }];
  const mask = Array.from({ length: rows * columns }, (_, index) => (keep(index) ? 1 : 0));
  return [mul(data, asValue({ dtype: node.floatDType, shape: [rows, columns], values: mask }, node.floatDType, node.description))];
};

export const LAYOUT_OPERATORS: Readonly<Record<string, OperatorMapping>> = {
  Shape: shapeOperator,
  Gather: gather,
  Unsqueeze: unsqueeze,
  Squeeze: squeeze,
  Concat: concatOperator,
  Slice: sliceOperator,
  Reshape: reshapeOperator,
  Flatten: flatten,
  Transpose: transposeOperator,
  Expand: expand,
  ConstantOfShape: constantOfShape,
  Range: range,
  Split: split,
  Trilu: trilu,
};
