/**
 * What an operator mapping sees of the node it maps: its attributes (read
 * with ONNX defaults and checked), the model's float dtype, and errors that
 * name the node.
 */
import { OnnxError, shortestFloat32, type AttributeValue, type FloatDType, type Node, type Tensor } from "@curv/tensor";
import { UnsupportedOnnxOperatorError } from "./unsupported-operator-error.js";

/** The node being mapped, with readers for its attributes. */
export class NodeContext {
  readonly node: Node;
  /** The float dtype the model computes in. */
  readonly floatDType: FloatDType;

  /** The model's default-domain opset (some operators changed their attributes into inputs at 13 and 18). */
  readonly opset: number;

  constructor(node: Node, floatDType: FloatDType, opset: number) {
    this.node = node;
    this.floatDType = floatDType;
    this.opset = opset;
  }

  /** `Gemm node "/0/Gemm"`, for messages. */
  get description(): string {
    return `${this.node.op} node "${nodeName(this.node)}"`;
  }

  /** An error about this node's data or attributes. */
  fail(problem: string): never {
    throw new OnnxError(`${this.description}: ${problem}`);
  }

  /** An error saying that this node's use of its operator is not supported. */
  unsupported(problem: string): never {
    throw new UnsupportedOnnxOperatorError(this.node.op, nodeName(this.node), `${this.description}: ${problem} is not supported by importOnnx`);
  }

  private attribute(name: string): AttributeValue | undefined {
    return this.node.attributes[name];
  }

  int(name: string, fallback: number): number {
    const value = this.attribute(name) ?? fallback;
    if (typeof value !== "number" || !Number.isInteger(value)) this.fail(`attribute ${name} must be an integer, got ${JSON.stringify(value)}`);
    return value;
  }

  /**
   * A FLOAT attribute. An ONNX file stores it in float32, so the value is
   * rounded to float32 (an in-memory graph means what its encoding would),
   * then read as the shortest decimal that rounds to that float32: the number
   * the model's author wrote (LayerNorm's `eps = 1e-5`, not 9.99999974e-6).
   * In float32 the two are the same number; in float64 the decimal is what
   * PyTorch computes with, so float64 reference values are reproduced.
   */
  float(name: string, fallback: number): number {
    const value = this.attribute(name) ?? fallback;
    if (typeof value !== "number") this.fail(`attribute ${name} must be a number, got ${JSON.stringify(value)}`);
    return shortestFloat32(Math.fround(value));
  }

  string(name: string, fallback: string): string {
    const value = this.attribute(name) ?? fallback;
    if (typeof value !== "string") this.fail(`attribute ${name} must be a string, got ${JSON.stringify(value)}`);
    return value;
  }

  /** An integer list attribute, or `undefined` when the node does not set it. */
  ints(name: string): number[] | undefined {
    const value = this.attribute(name);
    if (value === undefined) return undefined;
    if (typeof value === "number") return [value];
    if (!Array.isArray(value) || !value.every((v) => typeof v === "number" && Number.isInteger(v))) {
      this.fail(`attribute ${name} must be a list of integers, got ${JSON.stringify(value)}`);
    }
    return [...(value as number[])];
  }

  /** A tensor attribute (Constant's `value`), or `undefined`. */
  tensor(name: string): Tensor | undefined {
    const value = this.attribute(name);
    if (value === undefined || typeof value !== "object" || Array.isArray(value)) return undefined;
    return value as Tensor;
  }

  /** Whether the node sets attribute `name`. */
  has(name: string): boolean {
    return this.attribute(name) !== undefined;
  }
}

/** The node's name in the file, or its first output when it has none. */
export function nodeName(node: Node): string {
  return node.name !== undefined && node.name !== "" ? node.name : node.outputs[0] ?? node.op;
}

