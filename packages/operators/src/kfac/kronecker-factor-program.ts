/**
 * The per-batch program of KFAC and EKFAC: one forward pass and one batched
 * backward pass (layer taps, Martens & Grosse 2015 section 3) with the K
 * output seeds mapped over by `vmap`, reduced in the program to what the
 * host accumulates: per layer the un-normalized input moment `Σ a aᵀ` and
 * output-gradient moment `Σ g gᵀ`, or (for EKFAC's second pass) the squared
 * per-example gradients in the factors' eigenbases (George et al. 2018).
 */
import {
  functionalCall, input, matmul, mul, reduceSum, reshape, swapLastAxes, tappedVjp, vmap,
  type CurvatureLoss, type InputSpec, type LayerRecord, type Program, type TappedCotangents, type Value,
} from "@curv/autodiff";
import { ValueError, formatShape, type Dim } from "@curv/tensor";
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

/** A program output. */
type NamedValue = { name: string; value: Value };

/** The K seeds backpropagated in one batched pass: the gradients at each layer's output, `[K, N, ...]`, and the MC noise input. */
function backpropagatedSeeds(
  spec: FactorProgramSpec, output: Value, pullback: (cotangents: readonly Value[]) => TappedCotangents, labels: readonly string[],
): { gradients: Value[]; noise?: { name: string; value: Value; spec: InputSpec } } {
  const { fisherType, loss, trace, mcSamples } = spec;
  if (fisherType === "forward-only") return { gradients: [] };
  const seeds = outputSeeds(fisherType, loss, output, trace.y, mcSamples);
  const k = seeds.seeds.shape[0] as number;
  // vmap maps the pullback over the K seeds; the forward it reads is not batched, so it runs once.
  const gradients = vmap(([seed]) => {
    const { layerOutputGradients } = pullback([seed]);
    return labels.map((label) => layerOutputGradients[label]);
  }, k, [true])([seeds.seeds]);
  return { gradients, ...(seeds.noise === undefined ? {} : { noise: seeds.noise }) };
}

/** KFAC's outputs of layer i: `Σ a aᵀ` (when its weight is factored) and `Σ g gᵀ` (unless forward-only). */
function momentOutputs(layer: KFACLayer, i: number, input: Value, gradient: Value | undefined): NamedValue[] {
  return [
    ...(layer.weight === undefined ? [] : [{ name: factorNames.inputMoment(i), value: secondMoment(input) }]),
    ...(gradient === undefined ? [] : [{ name: factorNames.gradientMoment(i), value: secondMoment(gradient) }]),
  ];
}

/**
 * `Σ_{k,n} (Σ_s ĝₙₖₛ âₙₛᵀ)²` (elementwise square) of rotated gradients ĝ
 * `[K, N, S, d_out]` and inputs â `[N, S, d_in]`, by the cheaper of two
 * contractions (curvlinops #215-#219): the per-example gradients
 * `[K, N, d_out, d_in]`, or, when `S²(d_out + d_in) < d_out d_in`, their
 * Gramian form `Σ_{s,s'} (ĝₛ ∘ ĝₛ')(âₛ ∘ âₛ')ᵀ`, which never forms them
 * (for S = 1 it is `Σₙ (Σₖ ĝ²)(â²)ᵀ`).
 */
function squaredPerExampleGradients(rotatedGradients: Value, rotatedInputs: Value): Value {
  const [k, n, s, dOut] = rotatedGradients.shape as [number, Value["shape"][0], number, number];
  const dIn = rotatedInputs.shape[2] as number;
  if (s * s * (dOut + dIn) >= dOut * dIn) {
    const perExample = matmul(swapLastAxes(rotatedGradients), rotatedInputs); // [K, N, d_out, d_in]
    return reduceSum(mul(perExample, perExample), [0, 1]);
  }
  const gradientPairs = reduceSum(mul(reshape(rotatedGradients, [k, n, s, 1, dOut]), reshape(rotatedGradients, [k, n, 1, s, dOut])), [0]); // [N, S, S, d_out]
  const inputPairs = mul(reshape(rotatedInputs, [n, s, 1, dIn]), reshape(rotatedInputs, [n, 1, s, dIn])); // [N, S, S, d_in]
  return matmul(swapLastAxes(reshape(gradientPairs, [-1, dOut])), reshape(inputPairs, [-1, dIn]));
}

/**
 * EKFAC's outputs of layer i (George et al. 2018): the per-example gradient
 * `Grₙₖ = Σ_s gₙₖₛ aₙₛᵀ` in the eigenbases, `Σ_{n,k} (Q_Gᵀ Grₙₖ Q_A)²`, and for a
 * separate bias `Σ_{n,k} (Q_Gᵀ Σ_s gₙₖₛ)²`; the eigenbases are inputs.
 */
function correctionOutputs(layer: KFACLayer, i: number, input: Value, gradient: Value, joint: boolean, eigenbases: Value[]): NamedValue[] {
  const qg = squareInput(factorNames.gradientEigenbasis(i), gradient.dtype, layer.outFeatures);
  eigenbases.push(qg);
  const rotatedGradients = matmul(gradient, qg); // [K, N, S, d_out]
  const outputs: NamedValue[] = [];
  if (layer.weight !== undefined) {
    const qa = squareInput(factorNames.inputEigenbasis(i), gradient.dtype, input.shape[2] as number);
    eigenbases.push(qa);
    outputs.push({ name: factorNames.correction(i), value: squaredPerExampleGradients(rotatedGradients, matmul(input, qa)) });
  }
  if (layer.bias !== undefined && !joint) {
    const perExample = reduceSum(rotatedGradients, [2]); // [K, N, d_out]: the per-example bias gradients
    outputs.push({ name: factorNames.biasCorrection(i), value: reduceSum(mul(perExample, perExample), [0, 1]) });
  }
  return outputs;
}

/** A square `[n, n]` matrix input. */
function squareInput(name: string, dtype: Value["dtype"], n: number): Value {
  return input(name, dtype, [n, n]);
}

/** Builds the per-batch program of `spec` (see the module comment). */
export function buildFactorProgram(spec: FactorProgramSpec): FactorProgram {
  const { who, trace, loss, layers, kfacApprox, separateWeightAndBias, kind } = spec;
  const { leaves, x } = trace;
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
  // The correction always uses the expand format: per-example gradients sum over shared positions (curvlinops).
  const approximation: KFACApproximation = kind === "factors" ? kfacApprox : "expand";
  const inputs = applied.map((record, i) => inputInSharingFormat(maps[i], record.input, approximation, joinsBias(layers[i], separateWeightAndBias)));
  const { gradients, noise } = backpropagatedSeeds(spec, output, pullback, applied.map((r) => r.label));
  const formatted = gradients.map((g, i) => outputGradientInSharingFormat(maps[i], g, approximation));
  const eigenbases: Value[] = [];
  const outputs = layers.flatMap((layer, i) => (kind === "factors"
    ? momentOutputs(layer, i, inputs[i], formatted[i])
    : correctionOutputs(layer, i, inputs[i], formatted[i], joinsBias(layer, separateWeightAndBias), eigenbases)));
  const program = trace.program(`${who} ${kind}`, outputs, [...(noise === undefined ? [] : [noise.value]), ...eigenbases]);
  // Rows per example: the loss-Hessian square root's rows ([N, ...rows, C, C]) over the batch.
  const rowsPerExample = (loss.hessianSqrt(output).shape.slice(1, -2) as number[]).reduce((p, d) => p * d, 1);
  if (kind === "eigenvalue-correction" && rowsPerExample !== 1) {
    // A seed spans every position of an example, so Σ_s g_s a_sᵀ would mix the positions' loss terms: not the GGN's diagonal (curvlinops has the same limit).
    throw new ValueError(`${who}: the eigenvalue correction needs one loss term per example (outputs [N, C]); the model's output ${formatShape(output.shape)} has ${rowsPerExample} per example`);
  }
  return {
    program, rowsPerExample, outputShape: output.shape,
    sharedPositions: applied.map((record, i) => (kfacApprox === "reduce" ? 1 : sharedPositions(maps[i], record.input))),
    ...(noise === undefined ? {} : { noise: { name: noise.name, spec: noise.spec } }),
  };
}
