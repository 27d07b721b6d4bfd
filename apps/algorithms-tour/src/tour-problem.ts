/** The curvature tour's CNN and data (curvlinops' visual tour), with its Hessian and GGN operators, for the algorithms. */
import { CrossEntropyLoss, type Module } from "@curv/autodiff";
import { GGNLinearOperator, HessianLinearOperator, type CurvatureOptions, type DataBatch, type LinearOperator } from "@curv/operators";
import { Generator, type FloatDType } from "@curv/tensor";
import { syntheticClassification, tourCnn } from "curvature-tour/tour-model";

/** The model, data, loss and parameter names of the tour: 50 inputs of 3 x 10 x 10 in batches of 20, 5 classes, 683 parameters. */
export interface TourProblem {
  readonly model: Module;
  readonly params: string[];
  readonly data: DataBatch[];
  readonly loss: CrossEntropyLoss;
  readonly numData: number;
  readonly dtype: FloatDType;
}

/** The tour's problem from `new Generator(seed)`, the data drawn before the model as in the tour. */
export function tourProblem({ dtype = "float64", seed = 0, batches }: { dtype?: FloatDType; seed?: number; batches?: number } = {}): TourProblem {
  const generator = new Generator(seed);
  const all = syntheticClassification(generator, { numData: 50, batchSize: 20, inputShape: [3, 10, 10], numClasses: 5, dtype });
  const model = tourCnn(generator, dtype);
  // `batches` keeps the first few batches (20 examples each) for tests that need a cheaper curvature.
  const data = batches === undefined ? all : all.slice(0, batches);
  const numData = data.reduce((n, [x]) => n + x.shape[0], 0);
  return { model, params: model.namedParameters().map(([name]) => name), data, loss: new CrossEntropyLoss({ reduction: "mean" }), numData, dtype };
}

/** The runtime options: ORT CPU by default (`CURV_PROVIDER` respected by the runtime), or the `js` interpreter. */
export function curvatureOptions(problem: TourProblem, runtime: "ort" | "js" = "ort"): CurvatureOptions {
  return { numData: problem.numData, dtype: problem.dtype, runtime };
}

/** The tour's Hessian and GGN as operators. */
export function tourOperators(problem: TourProblem, runtime: "ort" | "js" = "ort"): { hessian: LinearOperator; ggn: LinearOperator } {
  const { model, loss, params, data } = problem;
  const options = curvatureOptions(problem, runtime);
  return {
    hessian: new HessianLinearOperator(model, loss, params, data, options),
    ggn: new GGNLinearOperator(model, loss, params, data, options),
  };
}
