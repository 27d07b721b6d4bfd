// The transformer tour: train a tiny causal LM on the synthetic arithmetic
// language with AdamW, then look at its curvature: the GGN's top eigenvalues
// (eigsh on the matrix-free GGN), KFAC's per-layer traces (the Linear layers
// inside attention and the feed-forward blocks, and the head), and the dense
// GGN of the first attention block (in_proj and out_proj).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CrossEntropyLoss } from "@curv/autodiff";
import { eigsh, GGNLinearOperator, KFACLinearOperator } from "@curv/operators";
import { AdamW } from "@curv/singd";
import { Generator, Tensor } from "@curv/tensor";
import { heatmapSvg, lineChartSvg, logAbs, svgToPng } from "@curv/viz";
import { entropyFloor, nextTokenPairs, sampleSequences, vocabularySize } from "./language.js";
import { TinyCausalLM, type ModelConfig } from "./model.js";

export interface TourOptions {
  readonly outDir: string;
  readonly runtime?: "js" | "ort";
  readonly steps?: number;
  readonly batchSize?: number;
  readonly numSequences?: number;
  /** Tokens per input sequence. */
  readonly sequenceLength?: number;
  readonly dModel?: number;
  readonly heads?: number;
  readonly dimFeedforward?: number;
  readonly layers?: number;
  readonly lr?: number;
  /** The modulus of the sums (digits 0..m-1); default 5. */
  readonly modulus?: number;
  /** Sequences the curvature is computed on. */
  readonly curvatureSequences?: number;
  /** Eigenvalues asked of eigsh. */
  readonly eigenvalues?: number;
  readonly seed?: number;
  readonly panelSize?: number;
  readonly log?: (line: string) => void;
}

export interface KFACRow {
  readonly layer: string;
  readonly parameters: number;
  readonly traceA: number;
  readonly traceG: number;
  readonly trace: number;
  /** The trace of the exact GGN's block of the same parameters. */
  readonly ggnTrace: number;
}

export interface TourResult {
  readonly losses: number[];
  readonly entropyFloor: number;
  /** Descending. */
  readonly eigenvalues: number[];
  readonly ggnTrace: number;
  readonly kfac: KFACRow[];
  readonly attentionParameters: string[];
  readonly attentionSize: number;
  readonly files: string[];
}

/** The sum of a square matrix's diagonal entries. */
function matrixTrace(t: Tensor): number {
  const n = t.shape[0];
  let s = 0;
  for (let i = 0; i < n; i++) s += Number(t.data[i * n + i]);
  return s;
}

/** The rows `rows` of an int64 `[N, T]` tensor. */
function rowsOf(t: Tensor<"int64">, rows: Int32Array): Tensor<"int64"> {
  const width = t.shape[1];
  const out = new BigInt64Array(rows.length * width);
  rows.forEach((r, i) => out.set((t.data as BigInt64Array).subarray(r * width, (r + 1) * width), i * width));
  return new Tensor("int64", [rows.length, width], out);
}

/** A running mean over the last `window` values. */
function smooth(values: readonly number[], window: number): number[] {
  return values.map((_, i) => {
    const from = Math.max(0, i - window + 1);
    let s = 0;
    for (let j = from; j <= i; j++) s += values[j];
    return s / (i - from + 1);
  });
}

export async function runTransformerTour(options: TourOptions): Promise<TourResult> {
  const {
    outDir, runtime = "ort", steps = 600, batchSize = 32, numSequences = 512, sequenceLength = 10, dModel = 16, heads = 2, dimFeedforward = 32, layers = 2,
    lr = 5e-3, modulus = 5, curvatureSequences = 32, eigenvalues: k = 8, seed = 0, panelSize = 480, log = console.log,
  } = options;
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, content: string | Uint8Array) => {
    const path = join(outDir, name);
    writeFileSync(path, content);
    files.push(path);
  };

  // The language and the model.
  const [X, y] = nextTokenPairs(sampleSequences(numSequences, sequenceLength + 1, seed, modulus));
  const config: ModelConfig = { vocabularySize: vocabularySize(modulus), sequenceLength, dModel, heads, dimFeedforward, layers };
  const model = new TinyCausalLM(config, { seed: seed + 1, dtype: "float32" });
  const floor = entropyFloor(sequenceLength, modulus);
  log(`Language: "a + b = (a+b) mod ${modulus}" chunks, V = ${config.vocabularySize}, T = ${sequenceLength}, N = ${numSequences}; entropy floor ${floor.toFixed(3)} nats/token`);
  log(`Model: d = ${dModel}, ${heads} heads, ff ${dimFeedforward}, ${layers} causal layer(s); P = ${model.numParameters}`);

  // Training: AdamW on shuffled batches.
  const loss = new CrossEntropyLoss();
  const adamw = new AdamW(model, loss, { lr, weightDecay: 0.01, runtime });
  const order = new Generator(seed + 2);
  const losses: number[] = [];
  try {
    for (let step = 0; step < steps; step++) {
      const rows = order.integers(0, numSequences, [batchSize], "int32").data as Int32Array;
      losses.push(await adamw.step([rowsOf(X, rows), rowsOf(y, rows)]));
      if ((step + 1) % Math.max(1, Math.floor(steps / 5)) === 0) log(`step ${step + 1}: loss ${smooth(losses, 10).at(-1)?.toFixed(3)}`);
    }
  } finally {
    await adamw.dispose();
  }
  const chart = lineChartSvg(
    [
      { label: "batch loss", x: losses.map((_, i) => i + 1), y: losses },
      { label: "running mean (10)", x: losses.map((_, i) => i + 1), y: smooth(losses, 10) },
      { label: "entropy floor", x: [1, steps], y: [floor, floor], dashed: true },
    ],
    { title: "Tiny causal LM, AdamW", xLabel: "step", yLabel: "cross-entropy (nats/token)" },
  );
  write("loss.svg", chart);
  write("loss.png", svgToPng(chart));

  // Curvature at the trained parameters, in float64 on a fixed batch.
  model.to("float64");
  const curvatureBatches: [Tensor, Tensor][] = [[X.slice([0, curvatureSequences]), y.slice([0, curvatureSequences])]];
  const names = model.namedParameters().map(([name]) => name);
  const ggn = new GGNLinearOperator(model, loss, names, curvatureBatches, { runtime, dtype: "float64" });
  const spectrum = await eigsh(ggn, { k, which: "LA", tol: 1e-6, generator: new Generator(seed + 3) });
  const eigenvalues = [...spectrum.eigenvalues].reverse();
  const ggnTrace = await ggn.trace();
  log(`GGN top ${k} eigenvalues: ${eigenvalues.map((v) => v.toPrecision(4)).join(", ")} (trace ${ggnTrace.toPrecision(4)}, ${spectrum.numMatvecs} products)`);

  // KFAC on the embedding (NNGeometry's convention) and every Linear layer (attention out_proj, feed-forward, head).
  const linearLayers = ["embed", ...Array.from({ length: layers }, (_, i) => [`layer${i}.self_attn.out_proj`, `layer${i}.linear1`, `layer${i}.linear2`]).flat(), "head"];
  const sizes = new Map(model.namedParameters().map(([name, t]) => [name, t.size]));
  const paramsOf = (layer: string) => [`${layer}.weight`, `${layer}.bias`].filter((name) => sizes.has(name));
  const kfacParams = linearLayers.flatMap(paramsOf);
  const kfac = new KFACLinearOperator<"float64">(model, loss, kfacParams, curvatureBatches, { fisherType: "type-2", runtime, separateWeightAndBias: false });
  const factors = await kfac.factors();
  const kfacRows: KFACRow[] = [];
  for (const layer of linearLayers) {
    const f = factors[layer];
    const traceA = matrixTrace(f.inputCovariance as Tensor);
    const traceG = matrixTrace(f.gradientCovariance);
    const blockTrace = await new GGNLinearOperator(model, loss, paramsOf(layer), curvatureBatches, { runtime, dtype: "float64" }).trace();
    kfacRows.push({ layer, parameters: (sizes.get(`${layer}.weight`) ?? 0) + (sizes.get(`${layer}.bias`) ?? 0), traceA, traceG, trace: traceA * traceG, ggnTrace: blockTrace });
  }
  const kfacTotal = await kfac.trace();
  const table = [
    `KFAC (type-2, weight and bias in one block, expand over tokens) on ${curvatureSequences} sequences; KFAC trace = tr(A) tr(G);`,
    "the embedding as NNGeometry factors it (A: token counts / (N T), G: the output-gradient moment);",
    "the last column is the trace of the exact GGN's block of the same parameters.",
    "",
    "| layer | parameters | tr(A) | tr(G) | KFAC trace | GGN block trace |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...kfacRows.map((r) => `| ${r.layer} | ${r.parameters} | ${r.traceA.toPrecision(4)} | ${r.traceG.toPrecision(4)} | ${r.trace.toPrecision(4)} | ${r.ggnTrace.toPrecision(4)} |`),
    `| all factored layers | ${kfacRows.reduce((s, r) => s + r.parameters, 0)} | | | ${kfacTotal.toPrecision(4)} | ${kfacRows.reduce((s, r) => s + r.ggnTrace, 0).toPrecision(4)} |`,
    "",
    `The full GGN (all ${model.numParameters} parameters): trace ${ggnTrace.toPrecision(4)}; top eigenvalues ${eigenvalues.map((v) => v.toPrecision(4)).join(", ")}.`,
    "",
  ].join("\n");
  write("curvature.md", table);
  for (const r of kfacRows) log(`KFAC ${r.layer}: trace ${r.trace.toPrecision(4)} (tr A ${r.traceA.toPrecision(4)}, tr G ${r.traceG.toPrecision(4)}); GGN block ${r.ggnTrace.toPrecision(4)}`);

  // The first attention block's GGN, dense.
  const attentionParameters = ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"].map((p) => `layer0.self_attn.${p}`);
  const block = await new GGNLinearOperator(model, loss, attentionParameters, curvatureBatches, { runtime, dtype: "float64" }).toDense();
  const attentionSize = block.shape[0];
  const heatmap = heatmapSvg(block, {
    title: `GGN of layer0.self_attn (in_proj W, b; out_proj W, b): ${attentionSize}×${attentionSize}`,
    transform: logAbs(),
    panelSize,
  });
  write("attention-ggn.svg", heatmap);
  write("attention-ggn.png", svgToPng(heatmap));
  log(`Wrote ${files.length} files to ${outDir}`);
  return { losses, entropyFloor: floor, eigenvalues, ggnTrace, kfac: kfacRows, attentionParameters, attentionSize, files };
}
