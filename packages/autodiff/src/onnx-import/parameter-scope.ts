/**
 * The module tree an imported model's tensors live in. `Module` names its
 * tensors by dotted paths of child modules (`0.weight` is parameter
 * `weight` of child `0`), so an initializer named `features.3.weight` is
 * held by the scope `features` → `3`: the names come out exactly as in the
 * file, and a state dict from PyTorch loads without renaming.
 */
import { OnnxError, ValueError, type Tensor } from "@curv/tensor";
import type { Value } from "../core/value.js";
import type { ForwardContext } from "../nn/forward-context.js";
import { Module } from "../nn/module.js";

/** Whether an initializer is trained (a parameter) or state (a buffer, such as BatchNorm's running statistics). */
export type TensorRole = "parameter" | "buffer";

/**
 * A module that only holds tensors of an imported model (the ONNX graph
 * computes with them; the scope has no forward of its own). Its kind says
 * which PyTorch layer its tensors belong to, where the graph shows it
 * (`"Linear"` for a Gemm with `transB = 1`, `"Conv2d"` for a Conv), so
 * layer-wise curvature approximations find the layer; otherwise it is
 * `"OnnxParameters"`.
 */
export class ParameterScope extends Module {
  kind: string;

  constructor(kind = "OnnxParameters") {
    super();
    this.kind = kind;
  }

  forward(_x: Value, ctx: ForwardContext): Value {
    throw new ValueError(`${ctx.describe(this)} holds tensors of an imported ONNX model and has no forward of its own; call the model`);
  }

  /** Holds `tensor` under the dotted `path` (relative to this scope), making child scopes as needed. */
  place(path: readonly string[], tensor: Tensor, role: TensorRole, fullName: string): void {
    const [head, ...rest] = path;
    if (head === undefined || head === "") {
      throw new OnnxError(`importOnnx: the initializer name "${fullName}" has an empty segment, so it cannot be a dotted parameter name; rename it`);
    }
    try {
      if (rest.length === 0) {
        if (role === "parameter") this.registerParameter(head, tensor);
        else this.registerBuffer(head, tensor);
        return;
      }
      let child = this.namedChildren().find(([name]) => name === head)?.[1];
      if (child === undefined) {
        child = new ParameterScope();
        this.registerModule(head, child);
      }
      if (!(child instanceof ParameterScope)) throw new ValueError(`"${head}" is not a scope`);
      child.place(rest, tensor, role, fullName);
    } catch (cause) {
      if (cause instanceof OnnxError) throw cause;
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new OnnxError(`importOnnx: the initializer "${fullName}" cannot be placed in the parameter tree (${reason}); its name collides with another's prefix`, { cause });
    }
  }

  /** The scope at the dotted `path`, or `undefined`. */
  scopeAt(path: readonly string[]): ParameterScope | undefined {
    const scope = path.reduce<Module | undefined>((current, segment) => current?.namedChildren().find(([name]) => name === segment)?.[1], this);
    return scope instanceof ParameterScope ? scope : undefined;
  }
}
