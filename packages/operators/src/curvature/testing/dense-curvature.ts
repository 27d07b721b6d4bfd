// Dense references for the curvature operators, built without their code
// paths, in float64 on the js runtime:
// - the Jacobian of the outputs by finite differences of the model's forward;
// - the Hessian by finite differences of the gradient (the autodiff
//   gradient of the loss, itself checked against finite differences in
//   @curv/autodiff);
// - the GGN and the empirical Fisher from that Jacobian and the loss'
//   output Hessian and gradient written out by hand (curvlinops' conventions,
//   reference section 2).
import { Tensor, type Tensor as AnyTensor } from "@curv/tensor";
import { finiteDifferenceJvp } from "@curv/tensor/test";
import {
  compileProgram, functionalCall, input, makeProgram, ModelInputs, valueAndGrad, type CurvatureLoss, type Module, type Value,
} from "@curv/autodiff";
import type { DataBatch } from "../data-loop.js";

/** A model, a loss and batches: one curvature test case. */
export interface CurvatureProblem {
  readonly model: Module;
  readonly loss: CurvatureLoss;
  readonly batches: DataBatch[];
}

export interface DenseCurvature {
  readonly hessian: Tensor<"float64">;
  readonly ggn: Tensor<"float64">;
  readonly ef: Tensor<"float64">;
  /** `[N·C, P]`, rows in stacked-output order. */
  readonly jacobian: Tensor<"float64">;
}

/** The model's forward and the loss' value and gradient as functions of the flat parameter vector, on one batch. */
async function batchFunctions(problem: CurvatureProblem, [X, y]: DataBatch) {
  const { model, loss } = problem;
  const leaves = ModelInputs.of(model);
  const x = input("x", X.dtype, X.shape);
  const target = input("y", y.dtype, y.shape);
  const output = functionalCall(model, x, leaves, { taps: false }).output;
  const [value, gradient] = valueAndGrad((params: Value[]) => loss.value(functionalCall(model, x, leaves.withParameters(params), { taps: false }).output, target))(leaves.parameters);
  const program = makeProgram("reference", [x, target, ...leaves.values], [
    { name: "output", value: output },
    { name: "loss", value },
    ...gradient.map((g, i) => ({ name: `gradient.${i}`, value: g })),
  ]);
  const compiled = await compileProgram(program, { runtime: "js" });
  const shapes = model.namedParameters().map(([, p]) => p.shape);
  const names = leaves.parameterNames;
  const run = async (theta: AnyTensor) => {
    const feeds: Record<string, AnyTensor> = { x: X, y };
    let offset = 0;
    shapes.forEach((shape, i) => {
      const size = shape.reduce((a, b) => a * b, 1);
      feeds[names[i]] = new Tensor("float64", shape, Float64Array.from((theta.data as Float64Array).subarray(offset, offset + size)));
      offset += size;
    });
    const needed = Object.fromEntries(compiled.compiled.inputs.map((info) => [info.name, feeds[info.name]]));
    return compiled.run(needed);
  };
  const flatGradient = async (theta: AnyTensor) => {
    const result = await run(theta);
    const parts = shapes.map((_, i) => Array.from(result[`gradient.${i}`].data as Float64Array));
    return new Tensor("float64", [parts.flat().length], Float64Array.from(parts.flat()));
  };
  return { run, flatGradient, dispose: () => compiled.dispose() };
}

/** `theta`, the model's parameters flattened in `namedParameters()` order (float64). */
export function flatParameters(model: Module): Tensor<"float64"> {
  return new Tensor("float64", [model.numParameters], Float64Array.from(model.parameters().flatMap((p) => Array.from(p.data as ArrayLike<number>))));
}

function unit(n: number, j: number): Tensor<"float64"> {
  const e = new Tensor("float64", [n]);
  e.data[j] = 1;
  return e;
}

/**
 * The loss' structure per row of the output: the number of rows and classes,
 * the per-datum factor c', and where row r's class k sits in the flat
 * output (the class axis is 1 for cross-entropy, else the last axis).
 */
function rowsOf(loss: CurvatureLoss, outputShape: readonly number[]) {
  const size = outputShape.reduce((a, b) => a * b, 1);
  const datumScale = loss.datumScale(outputShape);
  if (loss.kind === "CrossEntropyLoss") {
    const classes = outputShape[1];
    const positions = outputShape.slice(2).reduce((a, b) => a * b, 1);
    const at = (r: number, k: number) => Math.floor(r / positions) * classes * positions + k * positions + (r % positions);
    return { rows: size / classes, classes, datumScale, at };
  }
  const classes = outputShape.length === 1 ? 1 : outputShape[outputShape.length - 1];
  return { rows: size / classes, classes, datumScale, at: (r: number, k: number) => r * classes + k };
}

/** Per row r with outputs f and target t: the output Hessian of the row's unnormalized loss and its gradient. */
function rowPieces(loss: CurvatureLoss, f: number[], t: number[] | number): { hessian: number[][]; gradient: number[] } {
  const c = f.length;
  const zero = () => Array.from({ length: c }, () => new Array<number>(c).fill(0));
  if (loss.kind === "MSELoss") {
    const hessian = zero();
    for (let i = 0; i < c; i++) hessian[i][i] = 2;
    return { hessian, gradient: f.map((v, i) => 2 * (v - (t as number[])[i])) };
  }
  if (loss.kind === "BCEWithLogitsLoss") {
    const s = f.map((v) => 1 / (1 + Math.exp(-v)));
    const hessian = zero();
    for (let i = 0; i < c; i++) hessian[i][i] = s[i] * (1 - s[i]);
    return { hessian, gradient: s.map((v, i) => v - (t as number[])[i]) };
  }
  const max = Math.max(...f);
  const e = f.map((v) => Math.exp(v - max));
  const total = e.reduce((a, b) => a + b, 0);
  const p = e.map((v) => v / total);
  const hessian = p.map((pi, i) => p.map((pj, j) => (i === j ? pi : 0) - pi * pj));
  return { hessian, gradient: p.map((v, i) => v - (i === (t as number) ? 1 : 0)) };
}

/**
 * The Hessian, GGN, empirical Fisher and Jacobian of a problem over all its
 * batches, with curvlinops' weights: `N_b / N` per batch under mean, the
 * GGN's `c` and the EF's `1/R` as in reference section 2.
 */
export async function denseCurvature(problem: CurvatureProblem): Promise<DenseCurvature> {
  const { model, loss, batches } = problem;
  const theta = flatParameters(model);
  const p = theta.size;
  const numData = batches.reduce((n, [X]) => n + X.shape[0], 0);
  const mean = loss.reduction === "mean";
  const hessian = new Float64Array(p * p);
  const ggn = new Float64Array(p * p);
  const ef = new Float64Array(p * p);
  const jacobianRows: Float64Array[] = [];
  for (const batch of batches) {
    const [X, y] = batch;
    const n = X.shape[0];
    const weight = mean ? n / numData : 1;
    const fns = await batchFunctions(problem, batch);
    try {
      const outputs = (await fns.run(theta)).output;
      const outputSize = outputs.size;
      // Jacobian columns by finite differences of the forward.
      const jacobian = new Float64Array(outputSize * p);
      for (let j = 0; j < p; j++) {
        const column = await finiteDifferenceJvp(async ([t]) => (await fns.run(t)).output, [theta], [unit(p, j)]);
        for (let r = 0; r < outputSize; r++) jacobian[r * p + j] = column.data[r];
        const hessianColumn = await finiteDifferenceJvp(([t]) => fns.flatGradient(t), [theta], [unit(p, j)]);
        for (let i = 0; i < p; i++) hessian[i * p + j] += weight * hessianColumn.data[i];
      }
      jacobianRows.push(jacobian);
      const { rows, classes, datumScale, at } = rowsOf(loss, outputs.shape);
      // GGN: c Σ_rows J_rᵀ (c' Λ_r) J_r; EF: (1/R) Σ_rows (J_rᵀ g_r)(J_rᵀ g_r)ᵀ with R = 1/(c c').
      const c = mean ? 1 / n : 1;
      const f = Array.from(outputs.data as Float64Array);
      const targets = y.dtype === "int64" ? y.toArray() : Array.from(y.data as Float64Array);
      for (let r = 0; r < rows; r++) {
        const fr = Array.from({ length: classes }, (_, k) => f[at(r, k)]);
        const tr = loss.kind === "CrossEntropyLoss" ? targets[r] : Array.from({ length: classes }, (_, k) => targets[at(r, k)]);
        const { hessian: lambda, gradient } = rowPieces(loss, fr, tr);
        const jr = (k: number, j: number) => jacobian[at(r, k) * p + j];
        const jtg = new Float64Array(p);
        for (let j = 0; j < p; j++) for (let k = 0; k < classes; k++) jtg[j] += jr(k, j) * gradient[k];
        for (let i = 0; i < p; i++) {
          for (let j = 0; j < p; j++) {
            let entry = 0;
            for (let k = 0; k < classes; k++) for (let l = 0; l < classes; l++) entry += jr(k, i) * lambda[k][l] * jr(l, j);
            ggn[i * p + j] += weight * c * datumScale * entry;
            ef[i * p + j] += weight * c * datumScale * jtg[i] * jtg[j];
          }
        }
      }
    } finally {
      await fns.dispose();
    }
  }
  const jacobian = new Tensor("float64", [jacobianRows.reduce((n, r) => n + r.length, 0) / p, p]);
  let offset = 0;
  for (const rows of jacobianRows) {
    jacobian.data.set(rows, offset);
    offset += rows.length;
  }
  return {
    hessian: new Tensor("float64", [p, p], hessian),
    ggn: new Tensor("float64", [p, p], ggn),
    ef: new Tensor("float64", [p, p], ef),
    jacobian,
  };
}
