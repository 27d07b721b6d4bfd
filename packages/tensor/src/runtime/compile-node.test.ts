import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { DTypeError, GraphError, RuntimeError, ShapeError, ValueError } from "../errors.js";
import { evaluateGraph, GraphBuilder } from "../graph/index.js";
import type { Graph } from "../graph/ir.js";
import { Generator } from "../random.js";
import { tensor, type Tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { ortNodeBackend } from "./backends/ort-node-backend.js";
import { CUDA_INSTALL_HELP } from "./backends/provider-help.js";
import { compile } from "./compile-node.js";

/** `y = tanh(x @ w + b)` on a symbolic batch, and the row means of x. */
function affineGraph(dtype: "float32" | "float64"): Graph {
  const b = new GraphBuilder(`affine-${dtype}`);
  const x = b.input("x", dtype, ["batch", 3]);
  const w = b.input("w", dtype, [3, 2]);
  const bias = b.input("b", dtype, [2]);
  b.output(b.op("Tanh", [b.op("Add", [b.op("MatMul", [x, w]), bias])]), "y");
  b.output(b.op("ReduceMean", [x], { axes: [1], keepdims: 0 }), "rowMeans");
  return b.build();
}

function affineFeeds(dtype: "float32" | "float64", batch: number, seed = 1): Record<string, Tensor> {
  const rng = new Generator(seed);
  return { x: rng.normal([batch, 3], { dtype }), w: rng.normal([3, 2], { dtype }), b: rng.normal([2], { dtype }) };
}

const savedProvider = process.env.CURV_PROVIDER;
afterEach(() => {
  if (savedProvider === undefined) delete process.env.CURV_PROVIDER;
  else process.env.CURV_PROVIDER = savedProvider;
});

describe("compile in Node", () => {
  it("loads onnxruntime-node on the first ORT compile, not on import", async () => {
    const script = fileURLToPath(new URL("./testdata/import-entry.ts", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script], { timeout: 60_000 });
    expect(JSON.parse(stdout.trim().split("\n").pop()!)).toEqual({ afterImport: false, afterJsCompile: false, afterOrtCompile: true });
  });

  it("defaults to ort on cpu", async () => {
    delete process.env.CURV_PROVIDER;
    const program = await compile(affineGraph("float32"));
    expect([program.runtime, program.provider]).toEqual(["ort", "cpu"]);
    expect(program.inputs.map((i) => i.name)).toEqual(["x", "w", "b"]);
    expect(program.outputs.map((o) => [o.name, o.dtype, o.shape])).toEqual([
      ["y", "float32", ["batch", 2]],
      ["rowMeans", "float32", ["batch"]],
    ]);
  });

  for (const runtime of ["ort", "js"] as const) {
    for (const dtype of ["float32", "float64"] as const) {
      it(`runs batches of 3 and 5 with one compiled ${dtype} graph on ${runtime}, matching the interpreter`, async () => {
        const graph = affineGraph(dtype);
        const program = await compile(graph, { runtime });
        for (const batch of [3, 5]) {
          const feeds = affineFeeds(dtype, batch);
          const result = await program.run(feeds);
          const expected = evaluateGraph(graph, feeds);
          expect(result.y.shape).toEqual([batch, 2]);
          expect(result.y.dtype).toBe(dtype);
          const rtol = dtype === "float32" ? 1e-5 : 1e-12;
          assertAllClose(result.y, expected.y, { rtol, atol: rtol }, "y");
          assertAllClose(result.rowMeans, expected.rowMeans, { rtol, atol: rtol }, "rowMeans");
        }
      });
    }
  }

  it("returns the cached program when the same graph is compiled twice", async () => {
    const first = await compile(affineGraph("float32"), { threads: 1 });
    const second = await compile(affineGraph("float32"), { threads: 1 });
    expect(second).toBe(first);
    expect(await compile(affineGraph("float32"), { runtime: "js" })).not.toBe(first);
  });

  it("compiles one program per thread count, all agreeing", async () => {
    const one = await compile(affineGraph("float64"), { threads: 1 });
    const two = await compile(affineGraph("float64"), { threads: 2 });
    expect(two).not.toBe(one);
    const feeds = affineFeeds("float64", 4);
    const [a, b] = await Promise.all([one.run(feeds), two.run(feeds)]);
    assertAllClose(a.y, b.y, { rtol: 1e-14, atol: 0 });
    await expect(compile(affineGraph("float64"), { runtime: "js", threads: 2 })).rejects.toThrow(/js runtime runs on one thread/);
  });

  it("checks feeds before ORT sees them, naming the input", async () => {
    const program = await compile(affineGraph("float32"));
    const feeds = affineFeeds("float32", 3);
    await expect(program.run({ x: feeds.x, w: feeds.w })).rejects.toThrow(ValueError);
    await expect(program.run({ x: feeds.x, w: feeds.w })).rejects.toThrow(/missing feed for input "b"/);
    await expect(program.run({ ...feeds, w: feeds.w.astype("float64") })).rejects.toThrow(DTypeError);
    await expect(program.run({ ...feeds, w: feeds.w.astype("float64") })).rejects.toThrow(/input "w" must be float32, got float64/);
    await expect(program.run({ ...feeds, w: feeds.w.reshape([2, 3]) })).rejects.toThrow(ShapeError);
    await expect(program.run({ ...feeds, w: feeds.w.reshape([2, 3]) })).rejects.toThrow(/input "w" axis 0 must be 3/);
    await expect(program.run(feeds, ["z"])).rejects.toThrow(/unknown fetch "z"; the outputs are "y", "rowMeans"/);
  });

  it("binds a symbolic extent once across inputs", async () => {
    const b = new GraphBuilder("pairwise");
    const x = b.input("x", "float32", ["batch", 2]);
    const y = b.input("y", "float32", ["batch", 2]);
    b.output(b.op("Sub", [x, y]), "d");
    const program = await compile(b.build());
    await expect(program.run({ x: tensor([[1, 2]]), y: tensor([[1, 2], [3, 4]]) })).rejects.toThrow(
      /input "y" axis 0 \("batch"\) is 2, but input "x" set "batch" to 1/,
    );
  });

  it("falls back from cuda to cpu, and says how to install the CUDA libraries when cuda is all it may use", async () => {
    const program = await compile(affineGraph("float32"), { providers: ["cuda", "cpu"] });
    expect(program.provider).toBe("cpu");
    const error = await compile(affineGraph("float32"), { providers: ["cuda"] }).catch((e) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.message).toMatch(/^runtime "ort": no provider could start \(tried cuda\):\n {2}- cuda: onnxruntime-node 1\.30\.0 could not start its cuda provider: /);
    expect(error.message).toContain("ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node");
    expect(error.message).toContain("--onnxruntime-node-install=cuda12");
    expect(error.message).toContain(CUDA_INSTALL_HELP);
  });

  it("reads the provider preference from CURV_PROVIDER", async () => {
    process.env.CURV_PROVIDER = "cuda, cpu";
    expect((await compile(affineGraph("float32"))).provider).toBe("cpu");
    process.env.CURV_PROVIDER = "js";
    expect((await compile(affineGraph("float32"))).runtime).toBe("js");
    // An explicit runtime of another family ignores the preference.
    process.env.CURV_PROVIDER = "webgpu,cpu";
    expect((await compile(affineGraph("float32"), { runtime: "js" })).provider).toBe("js");
    process.env.CURV_PROVIDER = "cpu,wasm";
    await expect(compile(affineGraph("float32"))).rejects.toThrow(/CURV_PROVIDER: unknown provider "wasm" in Node/);
  });

  it("offers no ort-web runtime in Node", async () => {
    await expect(compile(affineGraph("float32"), { runtime: "ort-web" })).rejects.toThrow(
      'runtime "ort-web" is not available in Node; the runtimes here are "ort", "js"',
    );
  });

  it("reports a malformed graph with curv's error before ORT sees it", async () => {
    const graph = affineGraph("float32");
    const broken: Graph = { ...graph, nodes: graph.nodes.map((n) => (n.op === "MatMul" ? { ...n, inputs: [n.inputs[0], "v"] } : n)) };
    await expect(compile(broken)).rejects.toThrow(GraphError);
  });

  it("wraps ORT's own error, naming runtime, provider and graph, when ORT rejects a graph", async () => {
    // Declared as float64 but computed in float32: curv's validator would catch
    // this, so the backend is called directly to see ORT's reaction.
    const graph = affineGraph("float32");
    const corrupt: Graph = { ...graph, outputs: graph.outputs.map((o) => ({ ...o, dtype: "float64" as const })) };
    await ortNodeBackend.init({ name: "cpu" }, {});
    const error = await ortNodeBackend.createSession(corrupt, { name: "cpu" }, {}).catch((e) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.message).toMatch(/^ort\/cpu: ONNX Runtime rejected graph "affine-float32": .*Type Error/);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("wraps a failing run, naming runtime, provider and graph", async () => {
    // Reshape to a shape that fits only batches of 2: ORT fails when it runs.
    const b = new GraphBuilder("reshaper");
    const x = b.input("x", "float32", ["batch", 3]);
    b.output(b.op("Reshape", [x, b.constant("shape", tensor([3, 2], { dtype: "int64" }))]), "y");
    const program = await compile(b.build());
    expect((await program.run({ x: tensor([[1, 2, 3], [4, 5, 6]]) })).y.shape).toEqual([3, 2]);
    await expect(program.run({ x: tensor([[1, 2, 3]]) })).rejects.toThrow(/^ort\/cpu: graph "reshaper": run failed: /);
  });

  it("refuses to run after the last dispose", async () => {
    const b = new GraphBuilder("disposable");
    const x = b.input("x", "float32", [1]);
    b.output(b.op("Neg", [x]), "y");
    const program = await compile(b.build());
    await program.dispose();
    await expect(program.run({ x: tensor([1]) })).rejects.toThrow(RuntimeError);
  });
});
