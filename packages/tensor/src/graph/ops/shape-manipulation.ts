/**
 * Operators that only rearrange or relabel data: Transpose, Reshape, Flatten,
 * Squeeze, Unsqueeze and Concat. They evaluate through the Tensor methods
 * (`transpose`, `reshape`) and `concat`, the one implementation of each.
 */
import { GraphError, ShapeError } from "../../errors.js";
import { formatShape } from "../../shape.js";
import { concat, type Tensor } from "../../tensor.js";
import type { Dim, ValueType } from "../ir.js";
import { addDims, dimsMayBeEqual, divideDims, isStaticShape, isUnknownDim, multiplyDims, UNKNOWN_DIM } from "../symbolic-dim.js";
import { attributeError } from "./attributes.js";
import { attributeAxis, normalizeAxesOf } from "./axes.js";
import { integersOf } from "./constant-operands.js";
import { defineOperator } from "./define-operator.js";
import { ALL_DTYPES, INT64_DTYPES, type OperatorDefinition } from "./operator.js";

/** The permutation of Transpose: the attribute, or reversed axes by default. */
function permutationOf(perm: readonly number[] | undefined, rank: number): number[] {
  if (perm === undefined) return [...Array(rank).keys()].reverse();
  const sorted = [...perm].sort((a, b) => a - b);
  if (perm.length !== rank || sorted.some((a, i) => a !== i)) {
    throw attributeError("perm", `[${perm.join(", ")}] is not a permutation of the ${rank} axes`);
  }
  return [...perm];
}

const TRANSPOSE = defineOperator({
  name: "Transpose",
  inputs: [{ name: "data", type: "T" }],
  typeConstraints: { T: ALL_DTYPES },
  attributes: { perm: { kind: "ints" } },
  inferTypes([x], attributes) {
    const perm = permutationOf(attributes.has("perm") ? attributes.ints("perm") : undefined, x!.shape.length);
    return [{ dtype: x!.dtype, shape: perm.map((a) => x!.shape[a]) }];
  },
  evaluate: ([x], attributes) => [x!.transpose(permutationOf(attributes.has("perm") ? attributes.ints("perm") : undefined, x!.ndim))],
});

/**
 * Reshape's output shape from the `shape` input: 0 copies the input extent
 * (unless `allowzero`), one -1 takes what is left. Works on symbolic extents
 * too, so inference and evaluation share it.
 */
export function reshapeTarget(input: readonly Dim[], target: readonly number[], allowZero: boolean): Dim[] {
  const what = `cannot reshape ${formatShape(input)} to ${formatShape(target)}`;
  if (target.filter((t) => t === -1).length > 1) throw new ShapeError(`${what}: at most one -1 is allowed`);
  if (allowZero && target.includes(0) && target.includes(-1)) throw new ShapeError(`${what}: allowzero forbids 0 together with -1`);
  const out: Dim[] = target.map((t, i) => {
    if (t < -1) throw new ShapeError(`${what}: extents must be at least -1`);
    if (t !== 0 || allowZero) return t;
    if (i >= input.length) throw new ShapeError(`${what}: 0 at position ${i} copies an extent the input does not have`);
    return input[i];
  });
  const total = multiplyDims(input);
  const inferred = out.indexOf(-1);
  if (inferred !== -1) {
    const rest = multiplyDims(out.filter((_, i) => i !== inferred));
    out[inferred] = divideDims(total, rest);
    if (isUnknownDim(out[inferred]) && typeof total === "number" && typeof rest === "number") {
      throw new ShapeError(`${what}: ${total} elements do not split into parts of ${rest}`);
    }
    return out;
  }
  const size = multiplyDims(out);
  if (typeof size === "number" && typeof total === "number" && size !== total) {
    throw new ShapeError(`${what}: ${total} elements cannot become ${size}`);
  }
  return out;
}

const RESHAPE = defineOperator({
  name: "Reshape",
  inputs: [{ name: "data", type: "T" }, { name: "shape", type: "I" }],
  typeConstraints: { T: ALL_DTYPES, I: INT64_DTYPES },
  attributes: { allowzero: { kind: "int", default: 0 } },
  inferTypes([x, shape], attributes, constants) {
    const target = integersOf(constants[1], 'input 1 ("shape")');
    if (target !== undefined) return [{ dtype: x!.dtype, shape: reshapeTarget(x!.shape, target, attributes.int("allowzero") !== 0) }];
    // An unknown shape still fixes the output rank, if its own length is known.
    const rank = shape!.shape.length === 1 ? shape!.shape[0] : undefined;
    if (typeof rank !== "number") {
      throw new GraphError(`input 1 ("shape") must be 1-D of known length when its value is not constant, got ${formatShape(shape!.shape)}`);
    }
    return [{ dtype: x!.dtype, shape: new Array<Dim>(rank).fill(UNKNOWN_DIM) }];
  },
  evaluate([x, shape], attributes) {
    const target = reshapeTarget(x!.shape, integersOf(shape, 'input 1 ("shape")')!, attributes.int("allowzero") !== 0);
    return [x!.reshape(target as number[])];
  },
});

/** Flatten's two extents; its axis may also be the rank itself (ONNX allows `[-rank, rank]`). */
function flattenShape(shape: readonly Dim[], axis: number): Dim[] {
  const rank = shape.length;
  if (!Number.isInteger(axis) || axis < -rank || axis > rank) {
    throw attributeError("axis", `is ${axis}, out of range for rank ${rank} (expected ${-rank} to ${rank})`);
  }
  const at = axis < 0 ? axis + rank : axis;
  return [multiplyDims(shape.slice(0, at)), multiplyDims(shape.slice(at))];
}

const FLATTEN = defineOperator({
  name: "Flatten",
  inputs: [{ name: "input", type: "T" }],
  typeConstraints: { T: ALL_DTYPES },
  attributes: { axis: { kind: "int", default: 1 } },
  inferTypes: ([x], attributes) => [{ dtype: x!.dtype, shape: flattenShape(x!.shape, attributes.int("axis")) }],
  evaluate: ([x], attributes) => [x!.reshape(flattenShape(x!.shape, attributes.int("axis")) as number[])],
});

/** Squeeze's output shape; without axes every extent-1 axis goes, which needs every extent known. */
function squeezeShape(shape: readonly Dim[], axes: readonly number[] | undefined): Dim[] {
  if (axes === undefined) {
    if (!isStaticShape(shape)) {
      throw new ShapeError(`without axes, which axes to drop depends on the symbolic extents of ${formatShape(shape)}; give axes`);
    }
    return shape.filter((d) => d !== 1);
  }
  const drop = normalizeAxesOf('input 1 ("axes")', axes, shape.length);
  for (const axis of drop) {
    if (!dimsMayBeEqual(shape[axis], 1)) throw new ShapeError(`cannot squeeze axis ${axis} of ${formatShape(shape)}: its extent is not 1`);
  }
  return shape.filter((_, i) => !drop.includes(i));
}

function requireConstant(value: Tensor | undefined, present: boolean, what: string): void {
  if (present && value === undefined) throw new GraphError(`${what} must be a constant (an initializer or a Constant node)`);
}

const SQUEEZE = defineOperator({
  name: "Squeeze",
  inputs: [{ name: "data", type: "T" }, { name: "axes", type: "I", optional: true }],
  typeConstraints: { T: ALL_DTYPES, I: INT64_DTYPES },
  inferTypes([x, axes], _attributes, constants) {
    requireConstant(constants[1], axes !== undefined, 'input 1 ("axes")');
    return [{ dtype: x!.dtype, shape: squeezeShape(x!.shape, integersOf(constants[1], 'input 1 ("axes")')) }];
  },
  evaluate: ([x, axes]) => [x!.reshape(squeezeShape(x!.shape, integersOf(axes, 'input 1 ("axes")')) as number[])],
});

function unsqueezeShape(shape: readonly Dim[], axes: readonly number[]): Dim[] {
  const rank = shape.length + axes.length;
  const inserted = normalizeAxesOf('input 1 ("axes")', axes, rank);
  const rest = [...shape];
  return Array.from({ length: rank }, (_, i) => (inserted.includes(i) ? 1 : rest.shift()!));
}

const UNSQUEEZE = defineOperator({
  name: "Unsqueeze",
  inputs: [{ name: "data", type: "T" }, { name: "axes", type: "I" }],
  typeConstraints: { T: ALL_DTYPES, I: INT64_DTYPES },
  inferTypes([x], _attributes, constants) {
    requireConstant(constants[1], true, 'input 1 ("axes")');
    return [{ dtype: x!.dtype, shape: unsqueezeShape(x!.shape, integersOf(constants[1], 'input 1 ("axes")')!) }];
  },
  evaluate: ([x, axes]) => [x!.reshape(unsqueezeShape(x!.shape, integersOf(axes, 'input 1 ("axes")')!) as number[])],
});

/** Concat's output: extents add along the axis and must agree elsewhere (a number wins over a symbol). */
function concatShape(shapes: readonly (readonly Dim[])[], axis: number): Dim[] {
  const rank = shapes[0].length;
  const at = attributeAxis("axis", axis, rank);
  return shapes[0].map((_, i) => {
    const extents = shapes.map((shape, k) => {
      if (shape.length !== rank) throw new ShapeError(`input ${k} has rank ${shape.length}, input 0 has rank ${rank}`);
      return shape[i];
    });
    if (i === at) return addDims(extents);
    const numeric = extents.find((d) => typeof d === "number");
    extents.forEach((d, k) => {
      if (numeric !== undefined && !dimsMayBeEqual(d, numeric)) {
        throw new ShapeError(`input ${k} has shape ${formatShape(shapes[k])}, which does not match ${formatShape(shapes[0])} off axis ${at}`);
      }
    });
    return numeric ?? (extents.every((d) => d === extents[0]) ? extents[0] : UNKNOWN_DIM);
  });
}

const CONCAT = defineOperator({
  name: "Concat",
  inputs: [{ name: "inputs", type: "T", variadic: true }],
  typeConstraints: { T: ALL_DTYPES },
  attributes: { axis: { kind: "int", required: true } },
  inferTypes: (inputs, attributes) => [
    { dtype: inputs[0]!.dtype, shape: concatShape((inputs as ValueType[]).map((i) => i.shape), attributes.int("axis")) },
  ],
  evaluate(inputs, attributes) {
    concatShape((inputs as Tensor[]).map((i) => i.shape), attributes.int("axis"));
    return [concat(inputs as Tensor[], attributes.int("axis"))];
  },
});

/** The operators that rearrange data without computing. */
export const SHAPE_MANIPULATION_OPERATORS: readonly OperatorDefinition[] = [TRANSPOSE, RESHAPE, FLATTEN, SQUEEZE, UNSQUEEZE, CONCAT];
