/**
 * What every curvature command reads before it computes: ORT's log level
 * (read once, before the first session), the model, the data, the selected
 * parameters, and the memory check of the request. `curv matrix|matvec` and
 * `curv trace|diag|eig|spectrum` share it, so they refuse the same inputs
 * with the same messages.
 */
import type { OnnxModel } from "@curv/autodiff";
import { sizeOf, type Tensor } from "@curv/tensor";
import type { CurvatureCommand } from "./command-line.js";
import { readData, readModel } from "./input-files.js";
import { checkMemoryBudget } from "./resource-estimate.js";

/** The model, its data and the parameters a curvature command works on. */
export interface CurvatureInputs {
  readonly model: OnnxModel;
  readonly X: Tensor;
  readonly y: Tensor;
  readonly params: readonly string[];
  /** P: the selected parameters' entries. */
  readonly numParameters: number;
}

/** Sets ORT's log level, then reads the model and data that `command` names. */
export function readCurvatureInputs(command: CurvatureCommand): CurvatureInputs {
  // ONNX Runtime reads its log level once, when its environment is created: before the first session.
  process.env.CURV_ORT_LOG_LEVEL = command.ortLogLevel;
  const model = readModel(command.modelPath, command.dtype, command.maxInputBytes);
  const { X, y } = readData(command.dataPath, command.dtype, model.inputSpec.shape, command.maxInputBytes);
  const params = command.params ?? model.namedParameters().map(([name]) => name);
  return { model, X, y, params, numParameters: parameterCount(model, params) };
}

/** Refuses, before any work, a request whose memory (with `columns` vectors per product) exceeds `--max-memory`. */
export function checkCurvatureBudget(command: CurvatureCommand, { model, X, numParameters }: CurvatureInputs, columns: number): void {
  checkMemoryBudget(command, {
    parameters: numParameters,
    examples: X.shape[0],
    outputsPerExample: outputsPerExample(model.graph.outputs[0].shape),
    columns,
  });
}

/** P: the selected parameters' entries (unknown names are left to the operator, which names them). */
function parameterCount(model: { namedParameters(): [string, Tensor][] }, params: readonly string[]): number {
  const shapes = new Map(model.namedParameters().map(([name, t]) => [name, t.shape]));
  return params.reduce((sum, name) => sum + sizeOf(shapes.get(name) ?? []), 0);
}

/** The model's outputs per example: the product of the output's numeric extents after the batch axis (1 if unknown). */
function outputsPerExample(shape: readonly (number | string)[]): number {
  return shape.slice(1).reduce<number>((n, d) => n * (typeof d === "number" ? d : 1), 1);
}
