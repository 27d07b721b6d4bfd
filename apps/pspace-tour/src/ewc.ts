/**
 * Elastic weight consolidation (Kirkpatrick et al. 2017) as NNGeometry's users
 * write it: the Fisher of task A at its parameters w_A, then training on task
 * B with the penalty `(λ/2) F.vTMv(w − w_A)`, whose gradient is `λ F (w − w_A)`;
 * with a diagonal Fisher, and with KFAC (Ritter et al. 2018) by changing only
 * the representation.
 */
import type { CurvatureLoss, Module } from "@curv/autodiff";
import { HessianLinearOperator, type CurvatureOptions, type DataSource } from "@curv/operators";
import { FIM, LayerCollection, PMatDiag, PMatKFAC, PVector, type PMatAbstract, type PMatRepresentation } from "@curv/pspace";
import { Tensor } from "@curv/tensor";

/** One EWC run: the penalty's Fisher, the losses on tasks A and B after training on B, and how far w moved from w_A in each Fisher's metric. */
export interface EwcRun {
  readonly penalty: string;
  readonly lossA: number;
  readonly lossB: number;
  /** `F.vTMv(w − w_A)` at the end, under the diagonal and the KFAC Fisher. */
  readonly drift: Readonly<Record<string, number>>;
}

/** The options of {@link elasticWeightConsolidation}. */
export interface EwcOptions {
  readonly model: Module;
  readonly loss: CurvatureLoss;
  readonly taskA: DataSource;
  readonly taskB: DataSource;
  readonly steps: number;
  readonly learningRate: number;
  /** λ, the penalty's weight; default the largest stable one for plain gradient steps, `1/(lr · max ‖F‖₂)` over the two Fishers. */
  readonly importance?: number;
  readonly options: CurvatureOptions;
}

async function gradientAndLoss(model: Module, loss: CurvatureLoss, data: DataSource, options: CurvatureOptions): Promise<{ gradient: Float64Array; loss: number }> {
  const names = LayerCollection.fromModel(model).parameterNames();
  const result = await new HessianLinearOperator(model, loss, names, data, { ...options, checkDeterministic: false }).gradientAndLoss();
  return { gradient: Float64Array.from(result.gradient.flatMap((g) => Array.from(g.data as ArrayLike<number>))), loss: result.loss };
}

/** Plain gradient descent on `data`'s loss plus `λ F (w − w_A)` when a Fisher is given. */
async function train(model: Module, loss: CurvatureLoss, data: DataSource, steps: number, learningRate: number, options: CurvatureOptions, penalty?: { F: PMatAbstract; wA: PVector; lambda: number }): Promise<void> {
  const lc = LayerCollection.fromModel(model);
  for (let step = 0; step < steps; step++) {
    const { gradient } = await gradientAndLoss(model, loss, data, options);
    const w = PVector.fromModel(model, lc);
    const pull = penalty === undefined ? new Float64Array(gradient.length) : penalty.F.mv(w.sub(penalty.wA)).toFloat64();
    const update = gradient.map((g, i) => g + (penalty?.lambda ?? 0) * pull[i]);
    w.sub(PVector.fromFlat(lc, new Tensor("float64", [update.length], update)).scale(learningRate)).copyToModel(model);
  }
}

/**
 * Trains on task A (w_A), then on task B from w_A with no penalty, a
 * diagonal-Fisher penalty and a KFAC-Fisher penalty; the model is left at w_A.
 */
export async function elasticWeightConsolidation({ model, loss, taskA, taskB, steps, learningRate, importance, options }: EwcOptions): Promise<{ runs: EwcRun[]; importance: number }> {
  const lc = LayerCollection.fromModel(model);
  await train(model, loss, taskA, steps, learningRate, options);
  const wA = PVector.fromModel(model, lc);
  const representations: [string, PMatRepresentation<PMatAbstract>][] = [["PMatDiag", PMatDiag], ["PMatKFAC", PMatKFAC]];
  const fishers = new Map<string, PMatAbstract>();
  for (const [name, representation] of representations) fishers.set(name, await FIM({ model, loader: taskA, representation, ...options }));
  // Plain gradient steps on the penalty contract only while lr λ ‖F‖₂ < 2.
  const lambda = importance ?? 1 / (learningRate * Math.max(...[...fishers.values()].map((F) => F.norm(2))));
  const runs: EwcRun[] = [];
  for (const penalty of ["none", ...fishers.keys()]) {
    wA.copyToModel(model);
    const F = fishers.get(penalty);
    await train(model, loss, taskB, steps, learningRate, options, F === undefined ? undefined : { F, wA, lambda });
    const dw = PVector.fromModel(model, lc).sub(wA);
    runs.push({
      penalty,
      lossA: (await gradientAndLoss(model, loss, taskA, options)).loss,
      lossB: (await gradientAndLoss(model, loss, taskB, options)).loss,
      drift: Object.fromEntries([...fishers].map(([name, fisher]) => [name, fisher.vTMv(dw)])),
    });
  }
  wA.copyToModel(model);
  return { runs, importance: lambda };
}

/** The runs as a Markdown table. */
export function ewcTable(runs: readonly EwcRun[], importance: number, steps: number): string {
  return [
    `${steps} gradient steps on task A give w_A; then ${steps} steps on task B with the penalty (λ/2) F.vTMv(w − w_A), λ = ${importance.toPrecision(3)}.`,
    "",
    "| penalty | loss on task A after training on B | loss on task B | diag-Fisher vTMv(w − w_A) | KFAC-Fisher vTMv(w − w_A) |",
    "|---|---|---|---|---|",
    ...runs.map((r) => `| ${r.penalty} | ${r.lossA.toFixed(4)} | ${r.lossB.toFixed(4)} | ${r.drift.PMatDiag.toExponential(3)} | ${r.drift.PMatKFAC.toExponential(3)} |`),
  ].join("\n") + "\n";
}

export { gradientAndLoss };
