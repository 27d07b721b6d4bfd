import { OnnxError } from "@curv/tensor";

/**
 * An ONNX model uses an operator (or an attribute value of one) that
 * `importOnnx` cannot map to autodiff primitives. It names the operator and
 * the node, so the message points at the layer to change or export
 * differently.
 */
export class UnsupportedOnnxOperatorError extends OnnxError {
  /** The ONNX operator type, e.g. `"LSTM"`. */
  readonly operator: string;
  /** The node's name in the file (or its first output when it has none). */
  readonly node: string;

  constructor(operator: string, node: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.operator = operator;
    this.node = node;
  }
}
