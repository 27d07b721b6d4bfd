/** Operators that select, repeat or pad entries: Slice, Gather, Expand, Pad, Tile, OneHot. */
import { GraphError, ShapeError } from "../../errors.js";
import { expand, gather, oneHot, pad, tile } from "../../kernels/index.js";
import { formatShape } from "../../shape.js";
import type { Dim, ValueType } from "../ir.js";
import { addDims, broadcastDims, multiplyDims, UNKNOWN_DIM } from "../symbolic-dim.js";
import { attributeAxis, normalizeAxesOf } from "./axes.js";
import { integersOf, scalarOf } from "./constant-operands.js";
import { defineOperator } from "./define-operator.js";
import { ALL_DTYPES, INT64_DTYPES, INTEGER_DTYPES, NUMERIC_DTYPES, type OperatorDefinition } from "./operator.js";

/** Ends at or beyond this mean "to the end" (exporters write INT32_MAX or INT64_MAX). */
const TO_THE_END = 2 ** 31 - 1;

interface SliceAxis {
  axis: number;
  start: number;
  end: number;
  step: number;
}

/** Slice's per-axis `(start, end, step)` from its inputs (axes default to `0..n-1`, steps to 1). */
function sliceAxes(rank: number, starts: number[], ends: number[], axes: number[] | undefined, steps: number[] | undefined): SliceAxis[] {
  if (ends.length !== starts.length || (axes && axes.length !== starts.length) || (steps && steps.length !== starts.length)) {
    throw new ShapeError(`starts, ends, axes and steps must have the same length, got ${starts.length}, ${ends.length}, ${axes?.length}, ${steps?.length}`);
  }
  const normalized = normalizeAxesOf('input 3 ("axes")', axes ?? starts.map((_, i) => i), rank);
  return normalized.map((axis, i) => {
    const step = steps?.[i] ?? 1;
    if (step === 0) throw new GraphError('input 4 ("steps") must not contain 0');
    return { axis, start: starts[i], end: ends[i], step };
  });
}

/** ONNX Slice's clamping: returns the first index, the exclusive stop (-1 = before index 0) and the count. */
function clampSlice({ start, end, step }: SliceAxis, extent: number): { first: number; stop: number; count: number } {
  const s = start < 0 ? start + extent : start;
  const e = end < 0 ? end + extent : end;
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const first = step > 0 ? clamp(s, 0, extent) : clamp(s, 0, extent - 1);
  const stop = step > 0 ? clamp(e, 0, extent) : clamp(e, -1, extent - 1);
  return { first, stop, count: Math.max(0, Math.ceil((stop - first) / step)) };
}

/** A sliced symbolic extent: `n - k` for `[k:]`, `k` for `[-k:]` (assuming `n >= k`), else unknown. */
function slicedSymbol(extent: string, { start, end, step }: SliceAxis): Dim {
  if (step !== 1 || end < TO_THE_END) return UNKNOWN_DIM;
  return start >= 0 ? addDims([extent, -start]) : -start;
}

function slicedShape(shape: readonly Dim[], slices: readonly SliceAxis[]): Dim[] {
  const out = [...shape];
  for (const slice of slices) {
    const extent = shape[slice.axis];
    out[slice.axis] = typeof extent === "number" ? clampSlice(slice, extent).count : slicedSymbol(extent, slice);
  }
  return out;
}

const SLICE_INPUTS = ['input 1 ("starts")', 'input 2 ("ends")', 'input 3 ("axes")', 'input 4 ("steps")'];

const SLICE = defineOperator({
  name: "Slice",
  inputs: [
    { name: "data", type: "T" },
    { name: "starts", type: "Tind" },
    { name: "ends", type: "Tind" },
    { name: "axes", type: "Tind", optional: true },
    { name: "steps", type: "Tind", optional: true },
  ],
  typeConstraints: { T: ALL_DTYPES, Tind: INTEGER_DTYPES },
  inferTypes([x, ...operands], _attributes, constants) {
    const known = operands.map((type, i) => type === undefined || constants[i + 1] !== undefined);
    if (!known.every(Boolean)) {
      // Without constant bounds only the rank is known.
      return [{ dtype: x!.dtype, shape: x!.shape.map(() => UNKNOWN_DIM) }];
    }
    const [starts, ends, axes, steps] = SLICE_INPUTS.map((what, i) => integersOf(constants[i + 1], what));
    return [{ dtype: x!.dtype, shape: slicedShape(x!.shape, sliceAxes(x!.shape.length, starts!, ends!, axes, steps)) }];
  },
  evaluate([x, ...operands]) {
    const [starts, ends, axes, steps] = SLICE_INPUTS.map((what, i) => integersOf(operands[i], what));
    const ranges: (readonly [number, number | null, number] | null)[] = x!.shape.map(() => null);
    for (const slice of sliceAxes(x!.ndim, starts!, ends!, axes, steps)) {
      const { first, stop } = clampSlice(slice, x!.shape[slice.axis]);
      // `null` is Tensor.slice's "before index 0"; -1 would count from the end there.
      ranges[slice.axis] = [first, stop === -1 ? null : stop, slice.step];
    }
    return [x!.slice(...ranges)];
  },
});

const GATHER = defineOperator({
  name: "Gather",
  inputs: [{ name: "data", type: "T" }, { name: "indices", type: "Tind" }],
  typeConstraints: { T: ALL_DTYPES, Tind: INTEGER_DTYPES },
  attributes: { axis: { kind: "int", default: 0 } },
  inferTypes([x, indices], attributes) {
    const axis = attributeAxis("axis", attributes.int("axis"), x!.shape.length);
    return [{ dtype: x!.dtype, shape: [...x!.shape.slice(0, axis), ...indices!.shape, ...x!.shape.slice(axis + 1)] }];
  },
  evaluate: ([x, indices], attributes) => [gather(x!, indices!, attributeAxis("axis", attributes.int("axis"), x!.ndim))],
});

/** The rank-only type of an operator whose extents come from a non-constant input of known length. */
function unknownExtents(dtype: ValueType["dtype"], rank: Dim, what: string): ValueType {
  if (typeof rank !== "number") throw new GraphError(`${what} must have a known length when its value is not constant`);
  return { dtype, shape: new Array<Dim>(rank).fill(UNKNOWN_DIM) };
}

const EXPAND = defineOperator({
  name: "Expand",
  inputs: [{ name: "input", type: "T" }, { name: "shape", type: "I" }],
  typeConstraints: { T: ALL_DTYPES, I: INT64_DTYPES },
  inferTypes([x, shape], _attributes, constants) {
    const target = integersOf(constants[1], 'input 1 ("shape")');
    if (target !== undefined) return [{ dtype: x!.dtype, shape: broadcastDims([x!.shape, target]) }];
    const length = shape!.shape[0] ?? 0;
    return [unknownExtents(x!.dtype, typeof length === "number" ? Math.max(length, x!.shape.length) : length, 'input 1 ("shape")')];
  },
  evaluate: ([x, shape]) => [expand(x!, integersOf(shape, 'input 1 ("shape")')!)],
});

const PAD_MODES = ["constant", "reflect", "edge"] as const;

function paddedShape(shape: readonly Dim[], pads: readonly number[]): Dim[] {
  if (pads.length !== 2 * shape.length) {
    throw new ShapeError(`input 1 ("pads") must hold ${2 * shape.length} entries (begin and end per axis of ${formatShape(shape)}), got ${pads.length}`);
  }
  return shape.map((d, i) => addDims([d, pads[i], pads[i + shape.length]]));
}

/** Pad as in opset 13: pads and the constant value are inputs, the mode an attribute. */
const PAD = defineOperator({
  name: "Pad",
  inputs: [{ name: "data", type: "T" }, { name: "pads", type: "I" }, { name: "constant_value", type: "T", optional: true }],
  typeConstraints: { T: ALL_DTYPES, I: INT64_DTYPES },
  attributes: { mode: { kind: "string", default: "constant", oneOf: PAD_MODES } },
  inferTypes([x], _attributes, constants) {
    const pads = integersOf(constants[1], 'input 1 ("pads")');
    return [{ dtype: x!.dtype, shape: pads ? paddedShape(x!.shape, pads) : x!.shape.map(() => UNKNOWN_DIM) }];
  },
  evaluate([x, pads, value], attributes) {
    const amounts = integersOf(pads, 'input 1 ("pads")')!;
    paddedShape(x!.shape, amounts);
    const mode = attributes.string("mode") as (typeof PAD_MODES)[number];
    return [pad(x!, amounts, mode, value ? scalarOf(value, 'input 2 ("constant_value")') : 0)];
  },
});

function tiledShape(shape: readonly Dim[], repeats: readonly number[]): Dim[] {
  if (repeats.length !== shape.length || repeats.some((r) => r < 0)) {
    throw new ShapeError(`input 1 ("repeats") must hold ${shape.length} non-negative entries for ${formatShape(shape)}, got [${repeats.join(", ")}]`);
  }
  return shape.map((d, i) => multiplyDims([d, repeats[i]]));
}

const TILE = defineOperator({
  name: "Tile",
  inputs: [{ name: "input", type: "T" }, { name: "repeats", type: "I" }],
  typeConstraints: { T: ALL_DTYPES, I: INT64_DTYPES },
  inferTypes([x], _attributes, constants) {
    const repeats = integersOf(constants[1], 'input 1 ("repeats")');
    return [{ dtype: x!.dtype, shape: repeats ? tiledShape(x!.shape, repeats) : x!.shape.map(() => UNKNOWN_DIM) }];
  },
  evaluate([x, repeats]) {
    const counts = integersOf(repeats, 'input 1 ("repeats")')!;
    tiledShape(x!.shape, counts);
    return [tile(x!, counts)];
  },
});

const ONE_HOT = defineOperator({
  name: "OneHot",
  inputs: [{ name: "indices", type: "T1" }, { name: "depth", type: "T2" }, { name: "values", type: "T3" }],
  typeConstraints: { T1: INTEGER_DTYPES, T2: NUMERIC_DTYPES, T3: ALL_DTYPES },
  attributes: { axis: { kind: "int", default: -1 } },
  inferTypes([indices, , values], attributes, constants) {
    const valueCount = multiplyDims(values!.shape);
    if (typeof valueCount === "number" && valueCount !== 2) throw new ShapeError(`input 2 ("values") must hold [off, on], got shape ${formatShape(values!.shape)}`);
    const depth: Dim = constants[1] ? scalarOf(constants[1], 'input 1 ("depth")') : UNKNOWN_DIM;
    const rank = indices!.shape.length;
    const axis = attributeAxis("axis", attributes.int("axis"), rank + 1);
    return [{ dtype: values!.dtype, shape: [...indices!.shape.slice(0, axis), depth, ...indices!.shape.slice(axis)] }];
  },
  evaluate([indices, depth, values], attributes) {
    if (values!.size !== 2) throw new ShapeError(`input 2 ("values") must hold [off, on], got shape ${formatShape(values!.shape)}`);
    const [off, on] = Array.from(values!.data as ArrayLike<number | bigint>, Number);
    return [oneHot(indices!, scalarOf(depth!, 'input 1 ("depth")'), values!.dtype, { axis: attributes.int("axis"), values: [off, on] })];
  },
});

/** Slice, Gather, Expand, Pad, Tile and OneHot. */
export const INDEXING_OPERATORS: readonly OperatorDefinition[] = [SLICE, GATHER, EXPAND, PAD, TILE, ONE_HOT];
