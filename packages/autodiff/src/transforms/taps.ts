/**
 * Layer taps: one backward pass that returns, besides the cotangents of the
 * primals, every tapped layer's input and the gradient of the output seed
 * with respect to every tapped layer's output: the raw material of KFAC,
 * EKFAC, SINGD and per-example gradients (Martens & Grosse 2015, sec. 3),
 * with no second forward pass.
 */
import { ValueError } from "@curv/tensor";
import { topologicalOrder } from "../core/graph-walk.js";
import { Value } from "../core/value.js";
import { tapP, type TapParams } from "../primitives/tap.js";
import { checkDistinct, pushTangents } from "./jvp.js";
import { assertIndependent, transposeLinear } from "./transpose.js";

/** What the pullback of {@link tappedVjp} returns. */
export interface TappedCotangents {
  /** The cotangents of the primals, as `vjp` gives them. */
  readonly cotangents: Value[];
  /** Each tapped layer's input, by label. */
  readonly layerInputs: Record<string, Value>;
  /** The gradient of `<outputs, cotangents>` with respect to each tapped layer's output, by label. */
  readonly layerOutputGradients: Record<string, Value>;
}

/** The taps among the values `outputs` depend on, by role and label (a label used twice for one role is an error). */
function findTaps(outputs: readonly Value[]): { inputs: Map<string, Value>; outputs: Map<string, Value> } {
  const found = { inputs: new Map<string, Value>(), outputs: new Map<string, Value>() };
  for (const value of topologicalOrder(outputs)) {
    if (value.source.kind !== "apply" || value.source.primitive !== tapP) continue;
    const { label, role } = value.source.params as TapParams;
    const table = role === "input" ? found.inputs : found.outputs;
    if (table.has(label) && table.get(label) !== value) throw new ValueError(`tappedVjp: two different values are tapped as the ${role} of layer "${label}"`);
    table.set(label, value);
  }
  return found;
}

/**
 * Like {@link vjp}, but the pullback also returns the tapped layers' inputs
 * and the gradients at the tapped layers' outputs (marked with
 * `tapLayerInput` / `tapLayerOutput` inside `f`). The gradient at a layer's
 * output is the total derivative (through every later layer), read off the
 * same transposition that gives the primal cotangents.
 *
 * @example
 * ```ts
 * const [[loss], pullback] = tappedVjp(([w]) => [mse(tapLayerOutput(matmul(tapLayerInput(x, "0"), w), "0"), y)], [w]);
 * const { cotangents: [gradW], layerInputs, layerOutputGradients } = pullback([one]);
 * // gradW = layerInputs["0"]^T layerOutputGradients["0"]
 * ```
 */
export function tappedVjp(f: (primals: Value[]) => Value[], primals: readonly Value[]): [Value[], (cotangents: readonly Value[]) => TappedCotangents] {
  checkDistinct(primals, "tappedVjp");
  const outputs = f([...primals]);
  const taps = findTaps(outputs);
  const tangentInputs = primals.map((p, i) => Value.leaf(p, { kind: "input", name: `tangent placeholder ${i}` }));
  const labels = [...taps.outputs.keys()];
  const perturbations = labels.map((label) => {
    const tapped = taps.outputs.get(label)!;
    return Value.leaf(tapped, { kind: "input", name: `perturbation of layer ${label}` });
  });
  const tangentOutputs = pushTangents(
    outputs,
    new Map(primals.map((p, i) => [p, tangentInputs[i]])),
    new Map(labels.map((label, k) => [taps.outputs.get(label)!, perturbations[k]])),
  );
  const pullback = (cotangents: readonly Value[]): TappedCotangents => {
    if (cotangents.length !== outputs.length) throw new ValueError(`tappedVjp: ${outputs.length} outputs but ${cotangents.length} cotangents`);
    const live = tangentOutputs.flatMap((t, i) => (t === null ? [] : [{ t, c: cotangents[i] }]));
    const linearInputs = [...tangentInputs, ...perturbations];
    const result = transposeLinear(live.map((l) => l.t), live.map((l) => l.c), linearInputs);
    assertIndependent(result, linearInputs, "tappedVjp");
    return {
      cotangents: result.slice(0, primals.length),
      layerInputs: Object.fromEntries(taps.inputs),
      layerOutputGradients: Object.fromEntries(labels.map((label, k) => [label, result[primals.length + k]])),
    };
  };
  return [outputs, pullback];
}
