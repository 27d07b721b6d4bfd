import { compile, Generator, GraphBuilder, type FloatDType, type Graph, type RuntimeName } from "@curv/tensor";
import type { BenchCase, BenchSuite } from "../suite.js";

const SIZES = [256, 512];
const DTYPES: FloatDType[] = ["float32", "float64"];
const THREADS = [1, 2];

/** `c = a @ b` for square n x n inputs. */
function matmulGraph(n: number, dtype: FloatDType): Graph {
  const b = new GraphBuilder(`matmul-${dtype}-${n}`);
  b.output(b.op("MatMul", [b.input("a", dtype, [n, n]), b.input("b", dtype, [n, n])]), "c");
  return b.build();
}

/** A whole `run` of ORT's CPU MatMul, feeds in and product out, so the GFLOP/s include the runtime's overhead. */
const matmulCases = DTYPES.flatMap((dtype) =>
  SIZES.flatMap((n) =>
    THREADS.map(
      (threads): BenchCase => ({
        name: `ort cpu matmul ${dtype} n=${n} threads=${threads}`,
        n,
        flops: 2 * n ** 3,
        iterations: 10,
        extra: { dtype, threads, runtime: "ort", provider: "cpu" },
        prepare: async () => {
          const program = await compile(matmulGraph(n, dtype), { providers: ["cpu"], threads });
          const generator = new Generator(n);
          const feeds = { a: generator.normal([n, n], { dtype }), b: generator.normal([n, n], { dtype }) };
          return () => program.run(feeds);
        },
      }),
    ),
  ),
);

/** The per-run cost of a compiled graph that does almost nothing: Add of two [4] tensors. */
const overheadCases = (["ort", "js"] as RuntimeName[]).map(
  (runtime): BenchCase => ({
    name: `run overhead add [4] ${runtime}`,
    n: 4,
    iterations: 1000,
    extra: { dtype: "float32", runtime, provider: runtime === "ort" ? "cpu" : "js" },
    prepare: async () => {
      const b = new GraphBuilder("add4");
      b.output(b.op("Add", [b.input("x", "float32", [4]), b.input("y", "float32", [4])]), "z");
      const program = await compile(b.build(), { runtime });
      const generator = new Generator(4);
      const feeds = { x: generator.normal([4]), y: generator.normal([4]) };
      return () => program.run(feeds);
    },
  }),
);

/** Compiled graphs on the runtimes: ORT CPU MatMul throughput by threads, and per-run overhead. */
export const runtimeSuite: BenchSuite = {
  name: "runtime",
  description: "ORT CPU MatMul GFLOP/s (n = 256, 512; float32, float64; 1 and 2 threads) and the per-run overhead of Add [4] on ort cpu and js",
  cases: () => [...matmulCases, ...overheadCases],
};
