import { cholesky, eigh, Generator, matmul, svd, type Tensor } from "@curv/tensor";
import type { BenchCase, BenchSuite } from "../suite.js";

/** Timed calls per size: the large cases take seconds each on a laptop-class core. */
const EIGH_ITERATIONS: Record<number, number> = { 128: 20, 512: 5, 1024: 2 };
const CHOLESKY_ITERATIONS: Record<number, number> = { 128: 50, 512: 10, 1024: 5 };

/** A random symmetric float64 matrix `(B + B^T) / 2`. */
function randomSymmetric(n: number, seed: number): Tensor<"float64"> {
  const b = new Generator(seed).normal([n, n], { dtype: "float64" });
  const a = b.clone();
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = (b.data[i * n + j] + b.data[j * n + i]) / 2;
  return a;
}

/** A random SPD float64 matrix `B B^T + n I`. */
function randomSpd(n: number, seed: number): Tensor<"float64"> {
  const b = new Generator(seed).normal([n, n], { dtype: "float64" });
  const a = matmul(b, b.transpose());
  for (let i = 0; i < n; i++) a.data[i * n + i] += n;
  return a;
}

const eighCases = [128, 512, 1024].map(
  (n): BenchCase => ({
    name: `eigh n=${n}`,
    n,
    iterations: EIGH_ITERATIONS[n],
    extra: { dtype: "float64", vectors: true },
    prepare: () => {
      const a = randomSymmetric(n, n);
      return () => eigh(a);
    },
  }),
);

const choleskyCases = [128, 512, 1024].map(
  (n): BenchCase => ({
    name: `cholesky n=${n}`,
    n,
    // n^3 / 3 multiply-adds (Golub & Van Loan section 4.2.1).
    flops: n ** 3 / 3,
    iterations: CHOLESKY_ITERATIONS[n],
    extra: { dtype: "float64" },
    prepare: () => {
      const a = randomSpd(n, n);
      return () => cholesky(a);
    },
  }),
);

const svdCase: BenchCase = {
  name: "svd n=128",
  n: 128,
  iterations: 10,
  extra: { dtype: "float64", m: 128 },
  prepare: () => {
    const a = new Generator(7).normal([128, 128], { dtype: "float64" });
    return () => svd(a);
  },
};

/** Dense host linear algebra of @curv/tensor: eigh, cholesky, svd. */
export const linalgSuite: BenchSuite = {
  name: "linalg",
  description: "host dense linear algebra (eigh with vectors, cholesky, svd) in float64",
  cases: () => [...eighCases, ...choleskyCases, svdCase],
};
