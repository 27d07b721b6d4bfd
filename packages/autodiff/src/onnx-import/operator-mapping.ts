import type { NodeContext } from "./node-context.js";
import type { Operand } from "./operand.js";

/**
 * How one ONNX operator is traced: the node's inputs (`undefined` for an
 * omitted optional input) to its outputs, as autodiff values (through
 * primitives and composites) or, for shape arithmetic, known tensors.
 */
export type OperatorMapping = (inputs: readonly (Operand | undefined)[], node: NodeContext) => Operand[];
