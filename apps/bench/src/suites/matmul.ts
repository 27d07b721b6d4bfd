import { Generator, matmul, type FloatDType } from "@curv/tensor";
import type { BenchCase, BenchSuite } from "../suite.js";

const SIZES = [256, 512, 1024];
const ITERATIONS: Record<number, number> = { 256: 20, 512: 10, 1024: 3 };
const DTYPES: FloatDType[] = ["float32", "float64"];

const cases = DTYPES.flatMap((dtype) =>
  SIZES.map(
    (n): BenchCase => ({
      name: `matmul ${dtype} n=${n}`,
      n,
      // n^2 dot products of length n: n^3 multiplies and n^3 adds.
      flops: 2 * n ** 3,
      iterations: ITERATIONS[n],
      extra: { dtype },
      prepare: () => {
        const generator = new Generator(n);
        const a = generator.normal([n, n], { dtype });
        const b = generator.normal([n, n], { dtype });
        return () => matmul(a, b);
      },
    }),
  ),
);

/** The host matrix product (`matmul` on the cache-blocked `gemmInto`), square n x n. */
export const matmulSuite: BenchSuite = {
  name: "matmul",
  description: "host matmul of two square n x n matrices, float32 and float64",
  cases: () => cases,
};
