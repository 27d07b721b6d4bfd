/**
 * The program the fixture tests run per batch: a model's output, the loss,
 * its gradient, its Hessian-vector product and its GGN-vector product with
 * respect to all parameters, built with the core's transformations on a
 * model's traced forward.
 */
import type { InputSpec, Program } from "../core/program.js";
import { input } from "../core/leaves.js";
import { makeProgram } from "../core/program.js";
import type { Value } from "../core/value.js";
import type { CurvatureLoss } from "../losses/index.js";
import { ModelInputs } from "../nn/model-inputs.js";
import type { Module } from "../nn/module.js";
import { functionalCall } from "../nn/trace-model.js";
import { ggnVectorProduct } from "../transforms/ggn.js";
import { hvp } from "../transforms/hvp.js";
import { valueAndGrad } from "../transforms/vjp.js";

/**
 * A program with inputs `x`, `y`, the parameters (by name) and one probe
 * `v.<name>` per parameter, and outputs `output`, `loss`, and per parameter
 * `gradient.<name>`, `hvp.<name>`, `ggnvp.<name>`.
 */
export function curvatureProgram(model: Module, loss: CurvatureLoss, dataSpec: InputSpec, targetSpec: InputSpec): Program {
  const leaves = ModelInputs.of(model);
  const x = input("x", dataSpec.dtype, dataSpec.shape);
  const y = input("y", targetSpec.dtype, targetSpec.shape);
  const names = leaves.parameterNames;
  const probes = leaves.parameters.map((p, i) => input(`v.${names[i]}`, p.dtype, p.shape));
  const forward = (params: Value[]) => functionalCall(model, x, leaves.withParameters(params)).output;
  const objective = (params: Value[]) => loss.value(forward(params), y);
  const [value, gradient] = valueAndGrad(objective)(leaves.parameters);
  const hessianProduct = hvp(objective, leaves.parameters, probes);
  const ggnProduct = ggnVectorProduct(forward, (o) => loss.value(o, y), leaves.parameters, probes);
  const perParameter = (prefix: string, values: Value[]) => values.map((v, i) => ({ name: `${prefix}.${names[i]}`, value: v }));
  return makeProgram("curvature", [x, y, ...leaves.values, ...probes], [
    { name: "output", value: forward(leaves.parameters) },
    { name: "loss", value },
    ...perParameter("gradient", gradient),
    ...perParameter("hvp", hessianProduct),
    ...perParameter("ggnvp", ggnProduct),
  ]);
}
