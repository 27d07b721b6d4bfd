import { describe, expect, it } from "vitest";
import { RuntimeError, ValueError } from "../errors.js";
import { GraphBuilder } from "../graph/index.js";
import type { Graph } from "../graph/ir.js";
import { evaluateGraph } from "../graph/index.js";
import { tensor, type Tensor } from "../tensor.js";
import type { Backend, BackendOptions } from "./backend.js";
import type { Platform } from "./compile-options.js";
import { createCompiler } from "./compiler.js";
import type { ProviderName, ProviderSpec } from "./providers.js";

/** A backend that records what it is asked, fails to start the providers told to, and runs graphs on the interpreter. */
class RecordingBackend implements Backend<ProviderName<"ort">> {
  readonly runtime = "ort" as const;
  readonly inits: string[] = [];
  readonly sessions: { provider: ProviderSpec; options: BackendOptions }[] = [];
  disposed = 0;

  constructor(private readonly broken: Record<string, string> = {}) {}

  async init(provider: ProviderSpec<ProviderName<"ort">>): Promise<void> {
    this.inits.push(provider.name);
    const reason = this.broken[provider.name];
    if (reason !== undefined) throw new Error(reason);
  }

  async createSession(graph: Graph, provider: ProviderSpec<ProviderName<"ort">>, options: BackendOptions) {
    this.sessions.push({ provider, options });
    return {
      run: async (feeds: Readonly<Record<string, Tensor>>, fetches: readonly string[]) => evaluateGraph(graph, feeds, fetches),
      dispose: async () => {
        this.disposed++;
      },
    };
  }
}

function platformOf(backend: Backend, preferred?: string[]): Platform {
  return { name: "the test platform", backends: [backend], preferredProviders: () => preferred };
}

function squareGraph(name = "square", input = "x"): Graph {
  const b = new GraphBuilder(name);
  const x = b.input(input, "float32", ["batch"]);
  b.output(b.op("Mul", [x, x]), "y");
  return b.build();
}

describe("createCompiler: provider preference", () => {
  it("uses the first provider that starts and reports it", async () => {
    const backend = new RecordingBackend({ cuda: "no CUDA here" });
    const compile = createCompiler(platformOf(backend));
    const program = await compile(squareGraph(), { providers: ["cuda", "webgpu", "cpu"] });
    expect(program.provider).toBe("webgpu");
    expect(program.runtime).toBe("ort");
    expect(backend.inits).toEqual(["cuda", "webgpu"]);
    const { y } = await program.run({ x: tensor([1, 2, 3]) });
    expect(y.toArray()).toEqual([1, 4, 9]);
  });

  it("lists every provider tried, in order, with its reason, when none starts", async () => {
    const backend = new RecordingBackend({ cuda: "no CUDA libraries", webgpu: "no Vulkan driver" });
    const compile = createCompiler(platformOf(backend));
    const error = await compile(squareGraph(), { providers: ["cuda", { name: "webgpu", preferredLayout: "NHWC" }] }).catch((e) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.message).toBe(
      'runtime "ort": no provider could start (tried cuda, webgpu):\n' +
        "  - cuda: no CUDA libraries\n" +
        '  - webgpu{"preferredLayout":"NHWC"}: no Vulkan driver',
    );
  });

  it("starts each provider once and remembers failures", async () => {
    const backend = new RecordingBackend({ cuda: "no CUDA" });
    const compile = createCompiler(platformOf(backend));
    await compile(squareGraph("a"), { providers: ["cuda", "cpu"] });
    await compile(squareGraph("b", "z"), { providers: ["cuda", "cpu"] });
    expect(backend.inits).toEqual(["cuda", "cpu"]);
  });

  it("passes provider options and threads to the backend", async () => {
    const backend = new RecordingBackend();
    const compile = createCompiler(platformOf(backend));
    await compile(squareGraph(), { providers: [{ name: "cuda", deviceId: 1 }], threads: 2 });
    expect(backend.sessions).toEqual([{ provider: { name: "cuda", deviceId: 1 }, options: { threads: 2, wasmPaths: undefined } }]);
  });

  it("takes the environment's preference when the compile names no providers", async () => {
    const backend = new RecordingBackend({ webgpu: "no adapter" });
    const compile = createCompiler(platformOf(backend, ["webgpu", "cpu"]));
    expect((await compile(squareGraph())).provider).toBe("cpu");
    expect(backend.inits).toEqual(["webgpu", "cpu"]);
  });

  it("rejects unknown providers, empty lists, unknown runtimes and bad thread counts", async () => {
    const compile = createCompiler(platformOf(new RecordingBackend()));
    const graph = squareGraph();
    await expect(compile(graph, { providers: ["tpu" as never] })).rejects.toThrow(ValueError);
    await expect(compile(graph, { providers: ["tpu" as never] })).rejects.toThrow(/unknown provider "tpu"/);
    await expect(compile(graph, { providers: [] })).rejects.toThrow(/non-empty list/);
    await expect(compile(graph, { runtime: "ort", providers: ["wasm" as never] })).rejects.toThrow(/runtime "ort" has providers "cpu", "cuda", "webgpu"; got "wasm"/);
    await expect(compile(graph, { runtime: "tvm" as never })).rejects.toThrow(/unknown runtime "tvm"/);
    await expect(compile(graph, { runtime: "ort-web" })).rejects.toThrow(RuntimeError);
    await expect(compile(graph, { runtime: "ort-web" })).rejects.toThrow(/"ort-web" is not available in the test platform; the runtimes here are "ort"/);
    for (const threads of [0, -1, 1.5, Number.NaN]) {
      await expect(compile(graph, { threads })).rejects.toThrow(`threads: expected a positive integer, got ${threads}`);
    }
  });

  it("types provider options by provider name, and checks them when they run", async () => {
    const compile = createCompiler(platformOf(new RecordingBackend()));
    const graph = squareGraph();
    // @ts-expect-error deviceId is an option of cuda, not of cpu.
    await expect(compile(graph, { providers: [{ name: "cpu", deviceId: 1 }] })).rejects.toThrow(
      'providers: provider "cpu" has no option "deviceId" (it takes useArena)',
    );
    // @ts-expect-error preferredLayout takes "NCHW" or "NHWC".
    await compile(graph, { providers: [{ name: "webgpu", preferredLayout: "NWHC" }] });
    await expect(compile(graph, { providers: [{ name: "webgpu", deviceId: 0, layout: "NHWC" } as never] })).rejects.toThrow(
      'providers: provider "webgpu" has no option "deviceId", "layout" (it takes preferredLayout, validationMode)',
    );
  });

  it("rejects an environment preference that mixes or misspells providers", async () => {
    const graph = squareGraph();
    await expect(createCompiler(platformOf(new RecordingBackend(), ["gpu"]))(graph)).rejects.toThrow(/CURV_PROVIDER: unknown provider "gpu"/);
  });
});

describe("createCompiler: the compile cache", () => {
  it("returns the cached program for the same graph, runtime, provider and options", async () => {
    const backend = new RecordingBackend();
    const compile = createCompiler(platformOf(backend));
    const first = await compile(squareGraph());
    // Rebuilt from scratch: a different object with the same structure.
    const second = await compile(squareGraph());
    expect(second).toBe(first);
    expect(backend.sessions).toHaveLength(1);
  });

  it("compiles concurrent requests of one graph once", async () => {
    const backend = new RecordingBackend();
    const compile = createCompiler(platformOf(backend));
    const [a, b] = await Promise.all([compile(squareGraph()), compile(squareGraph())]);
    expect(a).toBe(b);
    expect(backend.sessions).toHaveLength(1);
  });

  it("compiles again for other options, providers, or input names", async () => {
    const backend = new RecordingBackend();
    const compile = createCompiler(platformOf(backend));
    const base = await compile(squareGraph());
    const others = [
      await compile(squareGraph(), { threads: 1 }),
      await compile(squareGraph(), { providers: ["webgpu"] }),
      await compile(squareGraph(), { checkFinite: true }),
      await compile(squareGraph("square", "z")),
    ];
    for (const other of others) expect(other).not.toBe(base);
    expect(backend.sessions).toHaveLength(5);
    const { y } = await others[3].run({ z: tensor([3]) });
    expect(y.toArray()).toEqual([9]);
  });

  it("releases the session when the last user disposes, and refuses to run afterwards", async () => {
    const backend = new RecordingBackend();
    const compile = createCompiler(platformOf(backend));
    const first = await compile(squareGraph());
    await compile(squareGraph());
    await first.dispose();
    expect(backend.disposed).toBe(0);
    expect((await first.run({ x: tensor([2]) })).y.toArray()).toEqual([4]);
    await first.dispose();
    expect(backend.disposed).toBe(1);
    await expect(first.run({ x: tensor([2]) })).rejects.toThrow(/graph "square" was disposed; compile it again/);
    await first.dispose();
    expect(backend.disposed).toBe(1);
    const fresh = await compile(squareGraph());
    expect(fresh).not.toBe(first);
    expect(backend.sessions).toHaveLength(2);
  });

  it("does not cache a failed compilation", async () => {
    let failures = 1;
    const backend = new RecordingBackend();
    const flaky: Backend = {
      runtime: "ort",
      init: (provider) => backend.init(provider as never),
      createSession: async (graph, provider, options) => {
        if (failures-- > 0) throw new Error("the runtime refused");
        return backend.createSession(graph, provider as never, options);
      },
    };
    const compile = createCompiler(platformOf(flaky));
    await expect(compile(squareGraph())).rejects.toThrow('ort/cpu: could not load graph "square": the runtime refused');
    expect((await compile(squareGraph())).provider).toBe("cpu");
  });

  it("validates the graph before the backend sees it", async () => {
    const backend = new RecordingBackend();
    const compile = createCompiler(platformOf(backend));
    const graph = squareGraph();
    const broken: Graph = { ...graph, nodes: [{ ...graph.nodes[0], inputs: ["x", "w"] }] };
    await expect(compile(broken)).rejects.toThrow(/input 1 "w" is not defined/);
    expect(backend.sessions).toHaveLength(0);
  });
});

describe("compiled graph: feeds and fetches", () => {
  const compile = createCompiler(platformOf(new RecordingBackend()));

  function twoOutputGraph(): Graph {
    const b = new GraphBuilder("pair");
    const x = b.input("x", "float32", ["batch", 2]);
    const w = b.input("w", "float32", [2]);
    b.output(b.op("Mul", [x, w]), "scaled");
    b.output(b.op("Add", [x, w]), "shifted");
    return b.build();
  }

  it("returns the requested outputs only", async () => {
    const program = await compile(twoOutputGraph());
    const result = await program.run({ x: tensor([[1, 2]]), w: tensor([3, 4]) }, ["shifted"]);
    expect(Object.keys(result)).toEqual(["shifted"]);
    expect(result.shifted.toArray()).toEqual([4, 6]);
  });

  it("names the input or output in every feed and fetch error", async () => {
    const program = await compile(twoOutputGraph());
    const w = tensor([3, 4]);
    await expect(program.run({ x: tensor([[1, 2]]) })).rejects.toThrow(/missing feed for input "w"/);
    await expect(program.run({ x: tensor([[1, 2]]), w, v: w })).rejects.toThrow(/unknown feed "v"/);
    await expect(program.run({ x: tensor([[1, 2]], { dtype: "float64" }), w })).rejects.toThrow(/input "x" must be float32, got float64/);
    await expect(program.run({ x: tensor([1, 2]), w })).rejects.toThrow(/input "x" must have rank 2/);
    await expect(program.run({ x: tensor([[1, 2, 3]]), w })).rejects.toThrow(/input "x" axis 1 must be 2/);
    await expect(program.run({ x: tensor([[1, 2]]), w }, ["scaled", "loss"])).rejects.toThrow(
      'graph "pair": unknown fetch "loss"; the outputs are "scaled", "shifted"',
    );
    await expect(program.run({ x: tensor([[1, 2]]), w }, [])).rejects.toThrow(/non-empty list/);
    await expect(program.run({ x: tensor([[1, 2]]), w }, ["scaled", "scaled"])).rejects.toThrow(/listed twice/);
  });

  it("checks feeds for NaN and Infinity when asked to", async () => {
    const program = await compile(twoOutputGraph(), { checkFinite: true });
    await expect(program.run({ x: tensor([[1, Number.NaN]]), w: tensor([3, 4]) })).rejects.toThrow(/input "x" holds NaN at \[0, 1\]/);
  });
});
