/**
 * The per-batch program of KFAC and EKFAC: one forward pass and one batched
 * backward pass (layer taps, Martens & Grosse 2015 section 3) with the K
 * output seeds mapped over by `vmap`, reduced in the program to what the
 * host accumulates: per layer the un-normalized input moment `Σ a aᵀ` and
 * output-gradient moment `Σ g gᵀ`, or (for EKFAC's second pass) the squared
 * per-example gradients in the factors' eigenbases (George et al. 2018).
 */
import {
  functionalCall, input, matmul, mul, reduceSum, swapLastAxes, tappedVjp, vmap,
  type CurvatureLoss, type InputSpec, type LayerRecord, type Program, type Value,
} from "@curv/autodiff";
import { ValueError, type Dim } from "@curv/tensor";
import type { CurvatureTrace } from "../curvature/curvature-trace.js";
import { convolutionGeometry } from "./convolution-geometry.js";
import type { KFACLayer } from "./kfac-layers.js";
import type { FisherType, KFACApproximation } from "./kfac-options.js";
import { outputSeeds } from "./output-seeds.js";
import { inputInSharingFormat, outputGradientInSharingFormat, secondMoment, sharedPositions, type LayerMap } from "./weight-sharing-format.js";

/** What the program computes. */
export type FactorProgramKind = "factors" | "eigenvalue-correction";

/** Everything the program is built from. */
export interface FactorProgramSpec {
  readonly who: string;
  /** The model traced on the data's types (its inputs `x`, `y` and leaves are the program's). */
  readonly trace: CurvatureTrace;
  readonly loss: CurvatureLoss;
  readonly layers: readonly KFACLayer[];
  readonly fisherType: FisherType;
  readonly mcSamples: number;
  readonly kfacApprox: KFACApproximation;
  readonly separateWeightAndBias: boolean;
  readonly kind: FactorProgramKind;
}

/** The program with what the host needs to feed it and normalize its outputs. */
export interface FactorProgram {
  readonly program: Program;
  /** Per layer: the shared positions S of its input in the chosen approximation (1 for reduce). */
  readonly sharedPositions: readonly number[];
  /** Output rows per example: the output's entries over its class axis (curvlinops' inferred loss terms per example). */
  readonly rowsPerExample: number;
  /** The MC noise input, drawn on the host per batch. */
  readonly noise?: { readonly name: string; readonly spec: InputSpec };
  /** The model output's shape, the batch axis symbolic. */
  readonly outputShape: readonly Dim[];
}

/** Output names: `A.<i>`, `G.<i>`, `correction.<i>`, `biasCorrection.<i>` for layer i; eigenbasis inputs `QA.<i>`, `QG.<i>`. */
export const factorNames = {
  inputMoment: (i: number) => `A.${i}`,
  gradientMoment: (i: number) => `G.${i}`,
  correction: (i: number) => `correction.${i}`,
  biasCorrection: (i: number) => `biasCorrection.${i}`,
  inputEigenbasis: (i: number) => `QA.${i}`,
  gradientEigenbasis: (i: number) => `QG.${i}`,
};

/** Whether layer `layer` gets a one appended to its inputs (weight and bias in one block). */
export function joinsBias(layer: KFACLayer, separateWeightAndBias: boolean): boolean {
  return !separateWeightAndBias && layer.weight !== undefined && layer.bias !== undefined;
}

function recordsByLayer(who: string, records: readonly LayerRecord[], layers: readonly KFACLayer[]): LayerRecord[] {
  return layers.map((layer) => {
    const applications = records.filter((r) => r.name === layer.name && r.module === layer.module);
    if (applications.length !== 1) {
      throw new ValueError(`${who}: layer "${layer.name}" is applied ${applications.length} times in one forward pass; KFAC needs every factored layer applied exactly once (curvlinops' hooks backend has the same limit)`);
    }
    return applications[0];
  });
}

/** Builds the per-batch program of `spec` (see the module comment). */
export function buildFactorProgram(spec: FactorProgramSpec): FactorProgram {
  const { who, trace, loss, layers, fisherType, kfacApprox, separateWeightAndBias, kind } = spec;
  const { leaves, x, y } = trace;
  const model = leaves.model;
  // A plain trace first: a factored layer applied twice must be reported as such, before the taps (one per layer) object to it.
  recordsByLayer(who, functionalCall(model, x, leaves, { taps: false }).layers, layers);
  let records: readonly LayerRecord[] = [];
  const [[output], pullback] = tappedVjp((params) => {
    const call = functionalCall(model, x, leaves.withParameters(params));
    records = call.layers;
    return [call.output];
  }, leaves.parameters);
  const applied = recordsByLayer(who, records, layers);
  const maps: LayerMap[] = applied.map((record, i) => ({
    name: layers[i].name,
    ...(layers[i].kind === "Conv2d" ? { convolution: convolutionGeometry(record, who) } : {}),
  }));
  const rowsShape = loss.hessianSqrt(output).shape;
  const rowsPerExample = (rowsShape.slice(1, -2) as number[]).reduce((p, d) => p * d, 1);
  // Correction always uses the expand format: per-example gradients sum over shared positions (curvlinops).
  const approximation: KFACApproximation = kind === "factors" ? kfacApprox : "expand";
  const inputs = applied.map((record, i) => inputInSharingFormat(maps[i], record.input, approximation, joinsBias(layers[i], separateWeightAndBias)));
  const extraInputs: Value[] = [];
  const outputs: { name: string; value: Value }[] = [];
  let noise: FactorProgram["noise"];
  let gradients: Value[] = [];
  if (fisherType !== "forward-only") {
    const seeds = outputSeeds(fisherType, loss, output, y, spec.mcSamples);
    if (seeds.noise !== undefined) {
      extraInputs.push(seeds.noise.value);
      noise = { name: seeds.noise.name, spec: seeds.noise.spec };
    }
    const k = seeds.seeds.shape[0] as number;
    const labels = applied.map((r) => r.label);
    const perLayer = vmap(([seed]) => {
      const { layerOutputGradients } = pullback([seed]);
      return labels.map((label) => layerOutputGradients[label]);
    }, k, [true])([seeds.seeds]);
    gradients = perLayer.map((g, i) => outputGradientInSharingFormat(maps[i], g, approximation));
  }
  layers.forEach((layer, i) => {
    if (kind === "factors") {
      if (layer.weight !== undefined) outputs.push({ name: factorNames.inputMoment(i), value: secondMoment(inputs[i]) });
      if (fisherType !== "forward-only") outputs.push({ name: factorNames.gradientMoment(i), value: secondMoment(gradients[i]) });
      return;
    }
    // George et al. (2018): the per-example gradient Gr = Σ_s g_s a_sᵀ in the eigenbases, (Q_Gᵀ Gr Q_A)², summed over seeds and examples.
    const dOut = layer.outFeatures;
    const qg = input(factorNames.gradientEigenbasis(i), output.dtype, [dOut, dOut]);
    extraInputs.push(qg);
    const rotatedGradients = matmul(gradients[i], qg); // [K, N, S, d_out]
    if (layer.weight !== undefined) {
      const dIn = inputs[i].shape[2] as number;
      const qa = input(factorNames.inputEigenbasis(i), output.dtype, [dIn, dIn]);
      extraInputs.push(qa);
      const perExample = matmul(swapLastAxes(rotatedGradients), matmul(inputs[i], qa)); // [K, N, d_out, d_in]
      outputs.push({ name: factorNames.correction(i), value: reduceSum(mul(perExample, perExample), [0, 1]) });
    }
    if (layer.bias !== undefined && !joinsBias(layer, separateWeightAndBias)) {
      const perExample = reduceSum(rotatedGradients, [2]); // [K, N, d_out]: the per-example bias gradient
      outputs.push({ name: factorNames.biasCorrection(i), value: reduceSum(mul(perExample, perExample), [0, 1]) });
    }
  });
  const program = trace.program(`${who} ${kind}`, outputs, extraInputs);
  return {
    program, rowsPerExample, outputShape: output.shape,
    sharedPositions: applied.map((record, i) => (kfacApprox === "reduce" ? 1 : sharedPositions(maps[i], record.input))),
    ...(noise === undefined ? {} : { noise }),
  };
}
