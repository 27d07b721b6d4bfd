/**
 * The whole run: read Fashion-MNIST, train the CNN with each optimizer on the
 * same batches, write the pictures and tables, and the files the PyTorch side
 * (python/train_torch.py) reads to train the same network the same way:
 * `torch-setup.npz` (initial weights, each epoch's order) and `settings.json`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { saveNpz } from "@curv/autodiff";
import { Tensor, ValueError } from "@curv/tensor";
import { epochOrders } from "./batches.js";
import { fashionCnn } from "./cnn.js";
import { readFashionMnist, type FashionMnistSplit } from "./fashion-mnist.js";
import { ADAMW_OPTIONS, optimizerEntries, SGD_OPTIONS, SINGD_OPTIONS, SINGD_VARIANTS } from "./optimizers.js";
import { writeReport } from "./report.js";
import { trainOne, type RunResult, type RuntimeOptions } from "./train.js";
import type { AppArguments } from "./cli-args.js";

/** Runs the comparison; returns every optimizer's result. */
export async function runFashionMnist(args: AppArguments, log: (line: string) => void = console.log): Promise<RunResult[]> {
  const entries = optimizerEntries({ singdBlockDiagonalQuirk: args.singdBlockDiagonalQuirk });
  const unknown = (args.optimizers ?? []).filter((name) => !entries.some((e) => e.name === name));
  if (unknown.length > 0) throw new ValueError(`unknown optimizer(s) ${unknown.join(", ")}; choose from ${entries.map((e) => e.name).join(", ")}`);
  const chosen = args.optimizers === undefined ? entries : entries.filter((e) => args.optimizers?.includes(e.name));
  const train = readFashionMnist("train", args.dataDir);
  const test = limitSplit(readFashionMnist("test", args.dataDir), args.testLimit);
  const orders = epochOrders(train.count, args.epochs, args.seed).map((order) => (args.trainLimit === undefined ? order : order.slice(0, args.trainLimit)));
  const runtime = runtimeOptionsOf(args.provider);
  mkdirSync(args.outDir, { recursive: true });
  writeTorchSetup(args, orders, chosen.map((e) => e.name));
  const stepsPerEpoch = Math.ceil(orders[0].length / args.batchSize);
  log(`Fashion-MNIST: ${orders[0].length} training examples per epoch (${stepsPerEpoch} steps of ${args.batchSize}), ${test.count} test examples, ${args.epochs} epoch(s), seed ${args.seed}`);
  const results: RunResult[] = [];
  for (const entry of chosen) {
    results.push(await trainOne(entry, train, test, { ...args, orders, runtime, progress: true, log }));
  }
  const header = `Fashion-MNIST, ${fashionCnn(args.seed).numParameters} parameters, ${args.epochs} epoch(s) of ${orders[0].length} examples, batch ${args.batchSize}, ${test.count} test examples, seed ${args.seed}, runtime ${args.provider ?? "default (ORT CPU)"}, float32${args.singdBlockDiagonalQuirk ? ", SINGD's block-diagonal quirk" : ""}.`;
  writeReport(args.outDir, results, { stepsPerEpoch, header });
  log(`wrote ${args.outDir}/{loss,test-accuracy}.{svg,png}, results.md, results.json, torch-setup.npz, settings.json`);
  return results;
}

function runtimeOptionsOf(provider: AppArguments["provider"]): RuntimeOptions {
  if (provider === undefined) return {};
  return provider === "js" ? { runtime: "js" } : { runtime: "ort", providers: [provider] };
}

function limitSplit(split: FashionMnistSplit, limit: number | undefined): FashionMnistSplit {
  if (limit === undefined || limit >= split.count) return split;
  const pixels = split.rows * split.cols;
  return { ...split, count: limit, pixels: split.pixels.subarray(0, limit * pixels), labels: split.labels.subarray(0, limit) };
}

/** The initial weights and data order for the PyTorch side, and the hyper-parameters both sides use. */
function writeTorchSetup(args: AppArguments, orders: readonly Int32Array[], chosenNames: readonly string[]): void {
  const arrays: Record<string, Tensor> = fashionCnn(args.seed).stateDict();
  orders.forEach((order, epoch) => (arrays[`order.${epoch}`] = new Tensor("int32", [order.length], order)));
  writeFileSync(join(args.outDir, "torch-setup.npz"), saveNpz(arrays));
  const settings = {
    epochs: args.epochs, batchSize: args.batchSize, seed: args.seed, testLimit: args.testLimit ?? null, trainExamples: orders[0].length,
    optimizers: { AdamW: ADAMW_OPTIONS, SGD: SGD_OPTIONS, SINGD: SINGD_OPTIONS, SINGDVariants: SINGD_VARIANTS },
    run: chosenNames,
  };
  writeFileSync(join(args.outDir, "settings.json"), `${JSON.stringify(settings, null, 1)}\n`);
}
