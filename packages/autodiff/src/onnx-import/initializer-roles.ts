/**
 * Which initializers of an ONNX graph are parameters, which are buffers and
 * which are constants, decided from where the graph uses them.
 */
import { isFloat, type Graph } from "@curv/tensor";

/** What an initializer becomes in the imported model. */
export type InitializerRole = "parameter" | "buffer" | "constant";

/** Inputs that carry running statistics: BatchNormalization's mean and variance. */
const BUFFER_SLOTS: Readonly<Record<string, readonly number[]>> = { BatchNormalization: [3, 4] };

/** Inputs that are arguments rather than data (an exponent, a pad value, a target shape): never trained. */
const ARGUMENT_SLOTS: Readonly<Record<string, readonly number[]>> = { Pow: [1], Pad: [1, 2, 3], Reshape: [1], Expand: [1], Clip: [1, 2], OneHot: [1, 2] };

/**
 * The role of every initializer: float initializers are parameters, except
 * BatchNorm running statistics and those named in `buffers` (buffers, as in
 * PyTorch), and those used only as operator arguments or named in `frozen`
 * (constants). Integer and bool initializers are always constants.
 */
export function initializerRoles(graph: Graph, frozen: ReadonlySet<string>, buffers: ReadonlySet<string> = new Set()): Map<string, InitializerRole> {
  const uses = new Map<string, { op: string; slot: number }[]>();
  for (const node of graph.nodes) {
    node.inputs.forEach((name, slot) => {
      if (graph.constants.has(name)) uses.set(name, [...(uses.get(name) ?? []), { op: node.op, slot }]);
    });
  }
  const roles = new Map<string, InitializerRole>();
  for (const [name, tensor] of graph.constants) {
    const used = uses.get(name) ?? [];
    const inSlots = (table: Readonly<Record<string, readonly number[]>>) => used.length > 0 && used.every(({ op, slot }) => table[op]?.includes(slot) ?? false);
    if (!isFloat(tensor.dtype) || frozen.has(name) || inSlots(ARGUMENT_SLOTS)) roles.set(name, "constant");
    else if (buffers.has(name) || inSlots(BUFFER_SLOTS)) roles.set(name, "buffer");
    else roles.set(name, "parameter");
  }
  return roles;
}
