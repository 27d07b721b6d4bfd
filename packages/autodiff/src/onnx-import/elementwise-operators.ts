/**
 * Elementwise ONNX operators and activations: arithmetic (on traced values,
 * or on known tensors for shape arithmetic), comparisons and selection,
 * and the nonlinearities PyTorch exports (Relu, Sigmoid, Tanh, Softmax, ...).
 */
import { divideDims, multiplyDims, type Dim } from "@curv/tensor";
import { abs, gelu, logSoftmax, relu, softmax, tanh } from "../composites/index.js";
import type { Value } from "../core/value.js";
import { add, div, equal, erf, exp, greater, less, log, maximum, mul, neg, pow, sigmoid, sqrt, sub, where } from "../primitives/index.js";
import { knownBinary } from "./known-arithmetic.js";
import type { NodeContext } from "./node-context.js";
import { asValue, isKnown, knownNumbers, type Operand } from "./operand.js";
import type { OperatorMapping } from "./operator-mapping.js";

/** The node's input `index` as a traced value (known inputs become literals). */
export function valueInput(inputs: readonly (Operand | undefined)[], index: number, node: NodeContext): Value {
  const operand = inputs[index];
  if (operand === undefined) node.fail(`input ${index} is missing`);
  return asValue(operand, node.floatDType, node.description);
}

/** A unary operator on a traced value. */
function unary(f: (x: Value) => Value): OperatorMapping {
  return (inputs, node: NodeContext) => [f(valueInput(inputs, 0, node))];
}

/**
 * A binary arithmetic operator: on two known tensors it is evaluated while
 * tracing (shape arithmetic); otherwise it is traced.
 */
function arithmetic(
  traced: (a: Value, b: Value) => Value,
  known: (x: number, y: number) => number,
  symbolic: (x: Dim, y: Dim) => Dim | undefined,
): OperatorMapping {
  return (inputs, node: NodeContext) => {
    const [a, b] = inputs;
    if (a !== undefined && b !== undefined && isKnown(a) && isKnown(b)) return [knownBinary(a, b, known, symbolic, node)];
    return [traced(valueInput(inputs, 0, node), valueInput(inputs, 1, node))];
  };
}

/** Softmax and LogSoftmax: `axis` defaults to -1 from opset 13; before, to 1 with the input flattened to 2-D there. */
function softmaxLike(f: (x: Value, axis: number) => Value): OperatorMapping {
  return (inputs, node: NodeContext) => {
    const x = valueInput(inputs, 0, node);
    const axis = node.int("axis", node.opset >= 13 ? -1 : 1);
    const normalized = axis < 0 ? axis + x.rank : axis;
    // Before opset 13 the operator normalizes over all axes from `axis` on; that is the same only for the last axis.
    if (node.opset < 13 && normalized !== x.rank - 1) node.unsupported(`opset ${node.opset} ${node.node.op} over axes ${normalized}.. of a rank-${x.rank} input`);
    return [f(x, normalized)];
  };
}

export const ELEMENTWISE_OPERATORS: Readonly<Record<string, OperatorMapping>> = {
  Add: arithmetic(add, (x, y) => x + y, (x, y) => (y === 0 ? x : x === 0 ? y : undefined)),
  Sub: arithmetic(sub, (x, y) => x - y, (x, y) => (y === 0 ? x : undefined)),
  Mul: arithmetic(mul, (x, y) => x * y, (x, y) => multiplyDims([x, y])),
  Div: arithmetic(div, (x, y) => x / y, (x, y) => divideDims(x, y)),
  Neg: unary(neg),
  Abs: unary(abs),
  Exp: unary(exp),
  Log: unary(log),
  Sqrt: unary(sqrt),
  Erf: unary(erf),
  // Gelu is in the default domain from opset 20 (`approximate` "none" or "tanh").
  Gelu: (inputs, node: NodeContext) => {
    const approximate = node.string("approximate", "none");
    if (approximate !== "none" && approximate !== "tanh") node.fail(`approximate must be "none" or "tanh", got "${approximate}"`);
    return [gelu(valueInput(inputs, 0, node), approximate)];
  },
  Relu: unary(relu),
  Sigmoid: unary(sigmoid),
  Tanh: unary(tanh),
  Softmax: softmaxLike(softmax),
  LogSoftmax: softmaxLike(logSoftmax),
  Pow: (inputs, node: NodeContext) => {
    const exponent = knownNumbers(inputs[1], `${node.description}: the exponent`);
    if (exponent.length !== 1) node.unsupported(`Pow with a non-scalar exponent (${exponent.length} entries)`);
    return [pow(valueInput(inputs, 0, node), exponent[0])];
  },
  Max: (inputs, node: NodeContext) => {
    if (inputs.length < 1) node.fail("expected at least one input");
    return [inputs.slice(1).reduce<Value>((m, _, i) => maximum(m, valueInput(inputs, i + 1, node)), valueInput(inputs, 0, node))];
  },
  Greater: (inputs, node: NodeContext) => [greater(valueInput(inputs, 0, node), valueInput(inputs, 1, node))],
  Less: (inputs, node: NodeContext) => [less(valueInput(inputs, 0, node), valueInput(inputs, 1, node))],
  Equal: (inputs, node: NodeContext) => [equal(valueInput(inputs, 0, node), valueInput(inputs, 1, node))],
  Where: (inputs, node: NodeContext) => [where(valueInput(inputs, 0, node), valueInput(inputs, 1, node), valueInput(inputs, 2, node))],
};
