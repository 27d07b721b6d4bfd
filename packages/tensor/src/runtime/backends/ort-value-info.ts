/**
 * The types of a graph's intermediate values for ORT's `value_info`, with
 * symbolic extents carried through shape arithmetic.
 *
 * curv's graphs expand to the batch's shape at run time (`Expand(c,
 * Concat(Shape(x)[0:1], [4]))`). Neither curv's nor ORT's shape inference
 * follows a symbol through `Shape`/`Concat`, so every value downstream has
 * unknown extents, and ORT's memory planner then compares unknown shapes
 * with each other: session creation grew with the square of the graph's
 * depth (a 1000-layer chain, 12,000 nodes: 5.4 s in the planner, against
 * 0.46 s with these types). Here the shape vectors are followed as lists of
 * extents (numbers and symbols), so `Expand`, `Reshape` and
 * `ConstantOfShape` get their symbolic output shapes, and the types that
 * follow from them are inferred again.
 */
import { InferenceScope } from "../../graph/inference-scope.js";
import type { Dim, Graph, Node, ValueInfo, ValueType } from "../../graph/ir.js";
import { broadcastDims, isUnknownDim } from "../../graph/symbolic-dim.js";
import type { Tensor } from "../../tensor.js";

/** A 1-D int64 value whose entries are known as extents (numbers or symbols). */
type ShapeValue = readonly Dim[];

function knownInts(tensor: Tensor | undefined): number[] | undefined {
  if (tensor === undefined || tensor.dtype !== "int64" || tensor.ndim > 1) return undefined;
  return Array.from(tensor.data as BigInt64Array, Number);
}

/** Python-style slice bounds of `length`. */
function clamp(index: number, length: number): number {
  return Math.min(length, Math.max(0, index < 0 ? index + length : index));
}

/** The shape vector a node produces, when its inputs' are known. */
function shapeValueOf(node: Node, types: ReadonlyMap<string, ValueType>, shapes: ReadonlyMap<string, ShapeValue>, known: (name: string) => number[] | undefined): ShapeValue | undefined {
  const input = (i: number): ShapeValue | undefined => shapes.get(node.inputs[i]) ?? known(node.inputs[i]);
  switch (node.op) {
    case "Shape": {
      const shape = types.get(node.inputs[0])?.shape;
      if (shape === undefined) return undefined;
      const start = clamp((node.attributes.start as number | undefined) ?? 0, shape.length);
      const end = clamp((node.attributes.end as number | undefined) ?? shape.length, shape.length);
      return shape.slice(start, end);
    }
    case "Concat": {
      if ((node.attributes.axis as number) !== 0 && (node.attributes.axis as number) !== -1) return undefined;
      const parts = node.inputs.map((_, i) => input(i));
      return parts.every((p) => p !== undefined) ? parts.flat() : undefined;
    }
    case "Slice": {
      const data = input(0);
      const [starts, ends, axes, steps] = [1, 2, 3, 4].map((i) => (node.inputs[i] ? known(node.inputs[i]) : undefined));
      if (data === undefined || starts?.length !== 1 || ends?.length !== 1) return undefined;
      if ((axes !== undefined && axes[0] !== 0 && axes[0] !== -1) || (steps !== undefined && steps[0] !== 1)) return undefined;
      return data.slice(clamp(starts[0], data.length), clamp(ends[0], data.length));
    }
    default:
      return undefined;
  }
}

/** A better output shape for shape-taking operators, from their shape vector. */
function refinedShape(node: Node, types: ReadonlyMap<string, ValueType>, shapes: ReadonlyMap<string, ShapeValue>, inferred: readonly Dim[]): Dim[] | undefined {
  const target = shapes.get(node.inputs[1] ?? "") ?? (node.op === "ConstantOfShape" ? shapes.get(node.inputs[0]) : undefined);
  if (target === undefined) return undefined;
  let shape: Dim[];
  if (node.op === "Expand") {
    const data = types.get(node.inputs[0])?.shape;
    if (data === undefined) return undefined;
    shape = broadcastDims([data, target]);
  } else if (node.op === "Reshape") {
    const data = types.get(node.inputs[0])?.shape;
    // 0 copies the input's extent (allowzero = 0); -1 is left to the inferred shape.
    if (data === undefined || (node.attributes.allowzero as number | undefined) === 1) return undefined;
    shape = target.map((d, i) => (d === 0 ? data[i] : d === -1 ? inferred[i] : d));
  } else if (node.op === "ConstantOfShape") {
    shape = [...target];
  } else {
    return undefined;
  }
  // Keep what inference knew; fill in only what it did not.
  if (shape.length !== inferred.length) return undefined;
  return inferred.map((d, i) => (isUnknownDim(d) ? shape[i] : d));
}

/**
 * The types of every value that is neither a graph input, a graph output
 * nor a constant, as `value_info` entries.
 *
 * @example
 * ```ts
 * encodeOnnx(graph, { valueInfo: intermediateTypes(graph) });
 * ```
 */
export function intermediateTypes(graph: Graph): ValueInfo[] {
  const scope = new InferenceScope();
  for (const input of graph.inputs) scope.define(input.name, input, `graph input "${input.name}"`);
  for (const [name, tensor] of graph.constants) scope.define(name, { dtype: tensor.dtype, shape: tensor.shape }, `constant "${name}"`, tensor);
  const shapes = new Map<string, ShapeValue>();
  const known = (name: string) => knownInts(scope.knownValues.get(name));
  graph.nodes.forEach((node, index) => {
    const inferred = scope.addNode(node, index);
    const output = node.outputs[0];
    const value = shapeValueOf(node, scope.types, shapes, known);
    if (value !== undefined) shapes.set(output, value);
    const refined = refinedShape(node, scope.types, shapes, inferred[0].shape);
    if (refined !== undefined) scope.types.set(output, { dtype: inferred[0].dtype, shape: refined });
  });
  const skip = new Set([...graph.inputs.map((v) => v.name), ...graph.outputs.map((v) => v.name), ...graph.constants.keys()]);
  return [...scope.types].filter(([name]) => !skip.has(name)).map(([name, type]) => ({ name, ...type }));
}
