/**
 * Lowering a program to a @curv/tensor graph of ONNX operators: inputs stay
 * inputs (symbolic extents kept), literals become constants, and each
 * primitive application emits the nodes its lowering rule writes.
 */
import { formatShape, GraphBuilder, GraphError, type Graph, type ValueInfo } from "@curv/tensor";
import { topologicalOrder } from "../core/graph-walk.js";
import type { Program } from "../core/program.js";
import type { Value } from "../core/value.js";
import { lookupRule } from "../transforms/rule-lookup.js";
import { createLoweringContext } from "./lowering-context.js";
import { onnxLowerings } from "./onnx-lowerings.js";

/** Options of {@link lowerProgram}. */
export interface LowerOptions {
  /** The opset to target (default: @curv/tensor's default, 17). */
  readonly opset?: number;
}

/** Throws unless the lowered value has the program value's type (where both extents are known). */
function checkLowered(value: Value, lowered: ValueInfo): void {
  const agree = lowered.dtype === value.dtype && lowered.shape.length === value.rank &&
    lowered.shape.every((d, i) => typeof d !== "number" || typeof value.shape[i] !== "number" || d === value.shape[i]);
  if (!agree) {
    const name = value.source.kind === "apply" ? value.source.primitive.name : value.source.kind;
    throw new GraphError(`lowering of "${name}" produced ${lowered.dtype} ${formatShape(lowered.shape)}, expected ${value}`);
  }
}

/**
 * The graph computing `program`: one graph input per program input, one
 * graph output per program output.
 *
 * @example
 * ```ts
 * const graph = lowerProgram(trace(({ x }) => exp(x), { x: { dtype: "float32", shape: ["batch"] } }));
 * graph.nodes.map((n) => n.op);   // ["Exp"]
 * ```
 */
export function lowerProgram(program: Program, { opset }: LowerOptions = {}): Graph {
  const builder = new GraphBuilder(program.name, opset === undefined ? {} : { opset });
  const lowered = new Map<Value, ValueInfo>();
  for (const value of program.inputs) {
    const source = value.source as { name: string };
    lowered.set(value, builder.input(source.name, value.dtype, value.shape));
  }
  const context = createLoweringContext(builder, [...lowered.values()]);
  for (const value of topologicalOrder(program.outputs.map((o) => o.value))) {
    if (lowered.has(value)) continue;
    if (value.source.kind === "literal") {
      lowered.set(value, context.constant(value.source.tensor));
      continue;
    }
    if (value.source.kind !== "apply") throw new GraphError(`program "${program.name}": "${value.source.name}" is not one of its inputs`);
    const { primitive, inputs, params } = value.source;
    const info = lookupRule(onnxLowerings, primitive, "ONNX lowering")(context, inputs.map((i) => lowered.get(i)!), params, value);
    checkLowered(value, info);
    lowered.set(value, info);
  }
  for (const { name, value } of program.outputs) builder.output(lowered.get(value)!, name);
  return builder.build();
}
