/**
 * Programs: a traced function, as named inputs and named outputs of the
 * (hash-consed) value graph. A program is immutable; transformations make
 * new values and new programs.
 */
import { formatShape, GraphError, ValueError, type Dim, type DType } from "@curv/tensor";
import { topologicalOrder } from "./graph-walk.js";
import { input } from "./leaves.js";
import { Value } from "./value.js";

/** The dtype and (possibly symbolic) shape of a program input. */
export interface InputSpec {
  readonly dtype: DType;
  readonly shape: readonly Dim[];
}

/** A named output of a program. */
export interface ProgramOutput {
  readonly name: string;
  readonly value: Value;
}

/**
 * A traced function: its inputs (leaves, in order) and named outputs.
 * Parameters, data, probe vectors and random draws are all inputs.
 */
export interface Program {
  readonly name: string;
  readonly inputs: readonly Value[];
  readonly outputs: readonly ProgramOutput[];
}

/** What a traced function may return: one value (named "output") or named values. */
export type TraceResult = Value | Readonly<Record<string, Value>>;

/**
 * Traces `fn` over symbolic inputs made from `specs` (one per name, in
 * order) into a {@link Program}. The function runs once, on values that only
 * record what is computed.
 *
 * @example
 * ```ts
 * const program = trace(({ x, w }) => ({ y: matmul(x, w) }), {
 *   x: { dtype: "float32", shape: ["batch", 3] },
 *   w: { dtype: "float32", shape: [3, 2] },
 * });
 * program.outputs[0].value.shape;   // ["batch", 2]
 * ```
 */
export function trace(fn: (inputs: Record<string, Value>) => TraceResult, specs: Readonly<Record<string, InputSpec>>, name = "program"): Program {
  const inputs = Object.entries(specs).map(([inputName, spec]) => input(inputName, spec.dtype, spec.shape));
  const result = fn(Object.fromEntries(inputs.map((v, i) => [Object.keys(specs)[i], v])));
  const outputs = result instanceof Value ? [{ name: "output", value: result }] : Object.entries(result).map(([n, value]) => ({ name: n, value }));
  return makeProgram(name, inputs, outputs);
}

/**
 * A program from its parts, checked: outputs are traced values and every
 * input they depend on is among `inputs`.
 *
 * @example
 * ```ts
 * const x = input("x", "float64", [3]);
 * const program = makeProgram("square", [x], [{ name: "y", value: mul(x, x) }]);
 * ```
 */
export function makeProgram(name: string, inputs: readonly Value[], outputs: readonly ProgramOutput[]): Program {
  if (outputs.length === 0) throw new ValueError(`program "${name}": expected at least one output`);
  const names = new Set<string>();
  for (const { name: outputName, value } of outputs) {
    if (!(value instanceof Value)) throw new ValueError(`program "${name}": output "${outputName}" is not a traced value`);
    if (names.has(outputName)) throw new ValueError(`program "${name}": output "${outputName}" is declared twice`);
    names.add(outputName);
  }
  const declared = new Set(inputs);
  for (const value of topologicalOrder(outputs.map((o) => o.value))) {
    if (value.source.kind === "input" && !declared.has(value)) {
      throw new GraphError(`program "${name}": the outputs depend on "${value.source.name}" (${value.dtype} ${formatShape(value.shape)}), which is not one of its inputs`);
    }
  }
  return { name, inputs: [...inputs], outputs: outputs.map((o) => ({ ...o })) };
}
