// The tensor/runtime tour: what @curv/tensor does, and which execution
// providers work on this machine, each computing the same small result.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  compile,
  decodeOnnx,
  eigh,
  encodeOnnx,
  Generator,
  matmul,
  type CompileOptions,
  type FloatDType,
  type Tensor,
  zeros,
} from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { tourGraph, type TourFeeds } from "./tour-graph.js";

// WebGPU without a GPU: Chromium's SwiftShader Vulkan driver (see README).
const swiftshader = "/usr/lib/chromium/vk_swiftshader_icd.json";
if (!process.env.VK_ICD_FILENAMES && existsSync(swiftshader)) process.env.VK_ICD_FILENAMES = swiftshader;
// Vulkan's window-system code complains on stderr when a headless shell has no
// XDG_RUNTIME_DIR; a private temporary one keeps the tour's output clean.
if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), "curv-xdg-"));

interface Attempt {
  label: string;
  dtype: FloatDType;
  options: CompileOptions;
}

const ATTEMPTS: Attempt[] = [
  { label: "js", dtype: "float64", options: { runtime: "js" } },
  { label: "js", dtype: "float32", options: { runtime: "js" } },
  { label: "ort cpu", dtype: "float64", options: { providers: ["cpu"] } },
  { label: "ort cpu", dtype: "float32", options: { providers: ["cpu"], threads: 2 } },
  { label: "ort webgpu", dtype: "float32", options: { providers: ["webgpu"] } },
  { label: "ort cuda", dtype: "float32", options: { providers: ["cuda"] } },
];

function section(title: string): void {
  console.log(`\n== ${title}`);
}

function feedsOf(dtype: FloatDType, seed = 0): TourFeeds {
  const g = new Generator(seed);
  const draw = (shape: number[]) => g.normal(shape, { dtype: "float64" }).astype(dtype);
  return { x: draw([5, 4]), w1: draw([4, 8]), b1: draw([8]), w2: draw([8, 3]), b2: draw([3]) };
}

async function runOn(attempt: Attempt, reference: Tensor): Promise<string> {
  const started = performance.now();
  let program;
  try {
    program = await compile(tourGraph(attempt.dtype), attempt.options);
  } catch (error) {
    const reason = (error as Error).message.split("\n").slice(0, 3).join(" | ");
    return `unavailable: ${reason}`;
  }
  const compileMs = performance.now() - started;
  const feeds = feedsOf(attempt.dtype);
  const runs = 20;
  let result: Tensor | undefined;
  const runStart = performance.now();
  for (let i = 0; i < runs; i++) result = (await program.run(feeds)).probabilities;
  const runMs = (performance.now() - runStart) / runs;
  await program.dispose();
  const error = compare(result!.astype("float64"), reference).maxAbsError;
  return `works  max |diff| vs js float64 = ${error.toExponential(2)}   compile ${compileMs.toFixed(1)} ms, run ${runMs.toFixed(3)} ms`;
}

async function main(): Promise<void> {
  section("Tensors and seeded randomness");
  const g = new Generator(0);
  const a = g.normal([3, 3], { dtype: "float64" });
  console.log("a =", a.toString());
  console.log("a.transpose().slice(0) =", a.transpose().slice(0).toString());

  section("Host linear algebra (float64)");
  const s = matmul(a, a.transpose()) as Tensor<"float64">;
  const { eigenvalues, eigenvectors } = eigh(s);
  console.log("eigenvalues of a aᵀ:", eigenvalues.toString());
  const reconstructed = matmul(matmul(eigenvectors, diag(eigenvalues)), eigenvectors.transpose());
  console.log("max |Q diag(w) Qᵀ - a aᵀ| =", compare(reconstructed, s).maxAbsError.toExponential(2));

  section("A graph and its ONNX encoding");
  const graph = tourGraph("float32");
  const bytes = encodeOnnx(graph);
  const decoded = decodeOnnx(bytes);
  console.log(`graph "${graph.name}": ${graph.nodes.length} nodes (${graph.nodes.map((n) => n.op).join(", ")}), inputs ${graph.inputs.map((i) => `${i.name}[${i.shape.join(",")}]`).join(" ")}`);
  console.log(`ONNX model: ${bytes.length} bytes, opset ${decoded.opset}, decodes back to ${decoded.nodes.length} nodes`);

  section("Execution providers on this machine (softmax(relu(x W1 + b1) W2 + b2), batch 5)");
  const reference = (await (await compile(tourGraph("float64"), { runtime: "js" })).run(feedsOf("float64"))).probabilities;
  for (const attempt of ATTEMPTS) {
    const line = await runOn(attempt, reference);
    console.log(`${`${attempt.label} (${attempt.dtype})`.padEnd(22)} ${line}`);
  }
  console.log("\nrow sums of the probabilities (js float64):", sumRows(reference).map((v) => v.toFixed(12)).join(" "));
}

function diag(values: Tensor): Tensor<"float64"> {
  const n = values.size;
  const out = zeros([n, n], "float64");
  for (let i = 0; i < n; i++) out.data[i * n + i] = Number(values.data[i]);
  return out;
}

function sumRows(t: Tensor): number[] {
  const [rows, cols] = t.shape;
  return Array.from({ length: rows }, (_, r) => {
    let s = 0;
    for (let c = 0; c < cols; c++) s += Number(t.data[r * cols + c]);
    return s;
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
