/**
 * The program one SINGD step runs: the forward, the loss, and one backward
 * pass with layer taps (`tappedVjp`) giving the parameters' gradients and,
 * for the layers whose pre-conditioner is updated at this step, the
 * un-normalized moments `Σ a aᵀ` of their inputs and `Σ g gᵀ` of their
 * output gradients in KFAC's weight-sharing format (expand or reduce, the
 * bias' one appended), shared with `@curv/operators`' KFAC. The host scales
 * them by SINGD's √-factors (`process_input`, `process_grad_output`). The
 * backward is seeded with the gradient scale, so gradients come out scaled
 * as a GradScaler's would.
 */
import {
  functionalCall, input, makeProgram, mul, reduceSum, reshape, swapLastAxes, tappedVjp, vjp, ModelInputs,
  type CurvatureLoss, type InputSpec, type LayerRecord, type Program, type Value,
} from "@curv/autodiff";
import {
  convolutionGeometry, inputInSharingFormat, outputGradientInSharingFormat, secondMoment, sharedPositions, type LayerMap,
} from "@curv/operators";
import { ValueError, type FloatDType, type Generator, type Tensor } from "@curv/tensor";
import {
  denseNames, isTracedDense, type TracedCurvature, tracedDenseUpdate, tracedNaturalGradient, tracedNaturalGradientOfFactors,
} from "./dense-preconditioner-graph.js";
import type { SINGDLayer } from "./singd-layers.js";

/** The batch axis' symbol. */
export const BATCH = "batch";

/** Output and input names of the step program. */
export const stepNames = {
  loss: "loss",
  gradScale: "gradScale",
  gradient: (parameter: string) => `grad.${parameter}`,
  inputMoment: (layer: number) => `A.${layer}`,
  gradientMoment: (layer: number) => `G.${layer}`,
  /** The rows themselves, transposed (`[n, rows]`), when there are fewer rows than n. */
  inputRows: (layer: number) => `aT.${layer}`,
  gradientRows: (layer: number) => `gT.${layer}`,
  /** The moment's diagonal `Σ r²` (`[n]`), all a diagonal side's update reads of it. */
  inputDiagonal: (layer: number) => `diag A.${layer}`,
  gradientDiagonal: (layer: number) => `diag G.${layer}`,
  /** A structured layer's dense K and C, inputs at steps without an update (its natural gradient is then traced). */
  denseK: (layer: number) => `dense K.${layer}`,
  denseC: (layer: number) => `dense C.${layer}`,
};

/** How one side's curvature data leaves the program: the moment, the rows (transposed), or the moment's diagonal (for a diagonal side on the host). */
export type TermKind = "moment" | "rows" | "diagonal";

/** What the host needs to read a step program's outputs. */
export interface StepProgram {
  readonly program: Program;
  readonly leaves: ModelInputs;
  /** Per layer: the shared positions S of its input in the expand format (output locations of a convolution). */
  readonly sharedPositions: readonly number[];
  /** Per layer: whether its update and natural gradient are traced into the program (K and C dense). */
  readonly traced: readonly boolean[];
  /** Per layer: whether its natural gradient is traced from its dense K and C (a structured layer at a step without update). */
  readonly tracedNaturalGradient: readonly boolean[];
  /** Per updating layer: whether its input and gradient terms come as moments, as rows or as the moment's diagonal. */
  readonly terms: ReadonlyMap<number, { readonly input: TermKind; readonly gradient: TermKind }>;
}

/** What the step program is specialised for, besides the data types and the updating layers. */
export interface StepProgramHints {
  /** The batch size it is traced for (it serves every batch size; this picks moments or rows, whichever is smaller). */
  readonly batchSize: number;
  /** SINGD's block-diagonal quirk: those layers keep their natural gradient on the host. */
  readonly singdBlockDiagonalQuirk: boolean;
}

function recordsOf(layers: readonly SINGDLayer[], records: readonly LayerRecord[]): LayerRecord[] {
  return layers.map((layer) => {
    const applications = records.filter((r) => r.name === layer.name && r.module === layer.module);
    if (applications.length !== 1) {
      throw new ValueError(`SINGD: layer "${layer.name}" is applied ${applications.length} times in one forward pass; SINGD needs every trained layer applied exactly once`);
    }
    return applications[0];
  });
}

/**
 * Builds the step program for data of types `X` and `y`, tapping the layers
 * whose indices are in `updating` (possibly none: a plain gradient step).
 */
export function buildStepProgram(
  model: ModelInputs["model"], loss: CurvatureLoss, layers: readonly SINGDLayer[], specs: { X: InputSpec; y: InputSpec },
  dtype: FloatDType, updating: readonly number[], hints: StepProgramHints,
): StepProgram {
  const leaves = ModelInputs.of(model);
  const x = input("x", specs.X.dtype, specs.X.shape);
  const y = input("y", specs.y.dtype, specs.y.shape);
  const gradScale = input(stepNames.gradScale, dtype, []);
  // A plain trace first: a trained layer applied twice must be reported as such, before the taps (one per layer) object to it.
  recordsOf(layers, functionalCall(model, x, leaves, { taps: false }).layers);
  let records: readonly LayerRecord[] = [];
  // Taps only where a layer's curvature is read (an update step); a plain step is a plain gradient.
  const taps = updating.length > 0;
  const forward = (params: Value[]) => {
    const call = functionalCall(model, x, leaves.withParameters(params), { taps });
    records = call.layers;
    return [loss.value(call.output, y)];
  };
  let lossValue: Value;
  let cotangents: Value[];
  let layerOutputGradients: Record<string, Value> = {};
  if (taps) {
    const [[value], pullback] = tappedVjp(forward, leaves.parameters);
    lossValue = value;
    ({ cotangents, layerOutputGradients } = pullback([gradScale]));
  } else {
    const [[value], pullback] = vjp(forward, leaves.parameters);
    lossValue = value;
    cotangents = pullback([gradScale]);
  }
  const applied = recordsOf(layers, records);
  const trained = new Set(layers.flatMap((l) => (l.bias === undefined ? [l.weight] : [l.weight, l.bias])));
  const outputs: { name: string; value: Value }[] = [{ name: stepNames.loss, value: lossValue }];
  leaves.parameterNames.forEach((name, i) => {
    if (trained.has(name)) outputs.push({ name: stepNames.gradient(name), value: cotangents[i] });
  });
  const maps: LayerMap[] = applied.map((record, i) => ({
    name: layers[i].name,
    ...(layers[i].kind === "Conv2d" ? { convolution: convolutionGeometry(record, "SINGD") } : {}),
  }));
  const traced = layers.map((layer) => isTracedDense(layer, dtype, hints.singdBlockDiagonalQuirk));
  const positions = applied.map((record, i) => sharedPositions(maps[i], record.input));
  const terms = new Map<number, { input: TermKind; gradient: TermKind }>();
  const tracedNatural = layers.map((layer, i) => !traced[i] && !updating.includes(i) && naturalGradientTraceable(layer, dtype, hints));
  const extraInputs: Value[] = [];
  const gradientOf = (name: string | undefined) => (name === undefined ? undefined : cotangents[leaves.parameterNames.indexOf(name)]);
  layers.forEach((layer, i) => {
    let curvature: TracedCurvature | undefined;
    if (updating.includes(i)) {
      const record = applied[i];
      const a = inputInSharingFormat(maps[i], record.input, layer.options.kfacApprox, layer.bias !== undefined);
      const g = layerOutputGradients[record.label];
      const rows = outputGradientInSharingFormat(maps[i], reshape(g, [1, ...g.shape]), layer.options.kfacApprox);
      // The moment has n² entries and costs rows·n² to form, the rows rows·n: use the smaller (SINGD uses the rows).
      const rowCount = hints.batchSize * (layer.options.kfacApprox === "expand" ? positions[i] : 1);
      const kinds = { input: rowCount < layer.dimK ? "rows" : "moment", gradient: rowCount < layer.dimC ? "rows" : "moment" } as const;
      if (traced[i]) {
        terms.set(i, kinds);
        const flatA = reshape(a, [-1, layer.dimK]);
        const flatG = reshape(rows, [-1, layer.dimC]);
        curvature = {
          input: { kind: kinds.input, value: kinds.input === "rows" ? flatA : secondMoment(a) },
          gradient: { kind: kinds.gradient, value: kinds.gradient === "rows" ? flatG : secondMoment(rows) },
        };
      } else {
        // A diagonal side needs only diag(Σ r rᵀ) = Σ r² (Π(Kᵀ M K) = k² ⊙ diag M): n numbers rather than n² or rows·n.
        const [diagonalK, diagonalC] = layer.options.structures.map((structure) => structure.structureName === "diagonal");
        const hostKinds = { input: diagonalK ? "diagonal" : kinds.input, gradient: diagonalC ? "diagonal" : kinds.gradient } as const;
        terms.set(i, hostKinds);
        const flatA = reshape(a, [-1, layer.dimK]);
        const flatG = reshape(rows, [-1, layer.dimC]);
        outputs.push(hostKinds.input === "diagonal"
          ? { name: stepNames.inputDiagonal(i), value: reduceSum(mul(flatA, flatA), [0]) }
          : hostKinds.input === "rows"
            ? { name: stepNames.inputRows(i), value: swapLastAxes(flatA) }
            : { name: stepNames.inputMoment(i), value: secondMoment(a) });
        outputs.push(hostKinds.gradient === "diagonal"
          ? { name: stepNames.gradientDiagonal(i), value: reduceSum(mul(flatG, flatG), [0]) }
          : hostKinds.gradient === "rows"
            ? { name: stepNames.gradientRows(i), value: swapLastAxes(flatG) }
            : { name: stepNames.gradientMoment(i), value: secondMoment(rows) });
      }
    }
    if (tracedNatural[i]) {
      const denseK = input(stepNames.denseK(i), dtype, [layer.dimK, layer.dimK]);
      const denseC = input(stepNames.denseC(i), dtype, [layer.dimC, layer.dimC]);
      extraInputs.push(denseK, denseC);
      outputs.push({ name: denseNames.naturalGradient(i), value: tracedNaturalGradientOfFactors(layer, gradientOf(layer.weight) as Value, gradientOf(layer.bias), gradScale, denseK, denseC) });
      return;
    }
    if (!traced[i]) return;
    const dense = tracedDenseUpdate(layer, i, dtype, curvature);
    extraInputs.push(...dense.inputs);
    outputs.push(...dense.outputs);
    const natural = tracedNaturalGradient(layer, gradientOf(layer.weight) as Value, gradientOf(layer.bias), gradScale, dense.productK, dense.productC);
    outputs.push({ name: denseNames.naturalGradient(i), value: natural });
  });
  const program = makeProgram(`SINGD step (${updating.length} of ${layers.length} layers updating)`, [x, y, ...leaves.values, gradScale, ...extraInputs], outputs);
  return { program, leaves, traced, tracedNaturalGradient: tracedNatural, terms, sharedPositions: positions };
}

/**
 * Whether a host-path layer's natural gradient can be traced from the dense
 * forms of K and C at steps without an update: not for diagonal pairs (the
 * host's O(n) loop is cheaper), not under SINGD's block-diagonal quirk, and
 * only in the program's dtype.
 */
function naturalGradientTraceable(layer: SINGDLayer, dtype: FloatDType, hints: StepProgramHints): boolean {
  const names = layer.options.structures.map((s) => s.structureName);
  if (names.every((name) => name === "diagonal")) return false;
  if (hints.singdBlockDiagonalQuirk && names.some((name) => /^block\d+diagonal$/.test(name))) return false;
  return layer.dtypes[0] === dtype && layer.dtypes[1] === dtype;
}

/** The feeds of the model's leaves: current parameters and buffers, and fresh random draws for a batch of `batchSize`. */
export function leafFeeds(leaves: ModelInputs, batchSize: number, generator: Generator): Record<string, Tensor> {
  const feeds = leaves.tensors();
  for (const random of leaves.randoms) {
    const shape = random.shape.map((d) => {
      if (typeof d === "number") return d;
      if (d === BATCH) return batchSize;
      throw new ValueError(`SINGD: the random input "${random.name}" has an extent "${d}" other than the batch`);
    });
    feeds[random.name] = random.draw(generator, shape);
  }
  return feeds;
}
