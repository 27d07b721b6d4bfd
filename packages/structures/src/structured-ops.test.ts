import { Generator, type FloatDType, type Tensor } from "@curv/tensor";
import { compare, type Tolerance } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import type { StructuredMatrix } from "./structured-matrix.js";
import {
  asFloat64, denseCombination, denseFrobeniusNorm, denseMaxAbs, denseProduct, denseTrace, denseTranspose, identity, type Dense,
} from "./testing/dense-reference.js";
import { STRUCTURE_CASES, type StructureCase } from "./testing/structure-cases.js";

// Every operation of every structure against the same operation on dense
// matrices followed by the reference projection (SINGD's test scheme,
// singd.md §3), for n = 1..10, 31, 64, 100 in float64 and float32.

const DIMS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 31, 64, 100];

/** SINGD's float32 tolerances; float64 results agree to rounding. */
const TOLERANCES: Record<FloatDType, Tolerance> = {
  float64: { rtol: 1e-10, atol: 1e-10 },
  float32: { rtol: 1e-5, atol: 1e-7 },
};
/** SINGD checks zeros, eye and both norms with rtol 1e-5, atol 1e-8 in every dtype. */
const NORM_TOLERANCE: Tolerance = { rtol: 1e-5, atol: 1e-8 };

/** Inputs shared by all cases of one (n, dtype), and their float64 values for the reference. */
interface Inputs {
  n: number;
  dtype: FloatDType;
  symmetric: Tensor<FloatDType>;
  nonSymmetric: [Tensor<FloatDType>, Tensor<FloatDType>];
  /** `[n, 2n]`, as SINGD's rmatmat test. */
  x: Tensor<FloatDType>;
  /** A non-symmetric `[n, n]` matrix for `fromInner2`. */
  square: Tensor<FloatDType>;
}

const inputCache = new Map<string, Inputs>();

function inputs(n: number, dtype: FloatDType): Inputs {
  const key = `${n}/${dtype}`;
  const cached = inputCache.get(key);
  if (cached !== undefined) return cached;
  const g = new Generator(1000 + n);
  // float64 draws signed entries, which exposes sign and transpose mistakes;
  // float32 draws from [0, 1) like SINGD's `rand`, so its tolerances apply
  // without cancellation.
  const low = dtype === "float64" ? -1 : 0;
  const draw = (shape: number[]) => g.uniform(shape, { low, high: 1, dtype }) as Tensor<FloatDType>;
  const m = draw([n, n]);
  const symmetric = denseCombination([0.5, asFloat64(m)], [0.5, denseTranspose(asFloat64(m))]).astype(dtype);
  const made: Inputs = { n, dtype, symmetric, nonSymmetric: [draw([n, n]), draw([n, n])], x: draw([n, 2 * n]), square: draw([n, n]) };
  inputCache.set(key, made);
  return made;
}

/** What one check compares: a structured result (or a number) and its dense reference. */
type Check = [what: string, actual: StructuredMatrix | Tensor | number, expected: Dense | number, tolerance?: Tolerance];

/** One operation: builds its checks from the case and the inputs. */
type Operation = (c: StructureCase, input: Inputs) => Check[];

const f64 = asFloat64;

/** `K = Π(N)` for a non-symmetric N, so that blocks are not symmetric, and its dense reference. */
function operand(c: StructureCase, input: Inputs, which: 0 | 1 = 0): [StructuredMatrix, Dense] {
  const n = input.nonSymmetric[which];
  return [c.structure.fromDense(n), c.project(f64(n))];
}

const OPERATIONS: Record<string, Operation> = {
  "fromDense of a symmetric matrix": (c, { symmetric }) => [["Π(S)", c.structure.fromDense(symmetric), c.project(f64(symmetric))]],
  "fromDense of a non-symmetric matrix": (c, input) => [["Π(N)", ...operand(c, input)]],
  "fromDense leaves a structured matrix unchanged": (c, input) => {
    const [k, p] = operand(c, input);
    return [["Π(K)", c.structure.fromDense(k.toDense()), p]];
  },
  "add and sub": (c, input) => {
    const [k1, p1] = operand(c, input, 0);
    const [k2, p2] = operand(c, input, 1);
    return [
      ["K1 + K2", k1.add(k2), denseCombination([1, p1], [1, p2])],
      ["K1 − K2", k1.sub(k2), denseCombination([1, p1], [-1, p2])],
      ["K1 after add and sub", k1, p1],
    ];
  },
  "addInPlace": (c, input) => {
    const [k1, p1] = operand(c, input, 0);
    const [k2, p2] = operand(c, input, 1);
    expect(k1.addInPlace(k2, -0.5)).toBe(k1);
    // Snapshot now: the next update changes k1 again.
    const checks: Check[] = [["K1 += −0.5·K2", k1.toDense(), denseCombination([1, p1], [-0.5, p2])]];
    expect(k1.addInPlace(k1)).toBe(k1);
    return [...checks, ["K1 += K1", k1, denseCombination([2, p1], [-1, p2])]];
  },
  "mul and mulInPlace": (c, input) => {
    const [k, p] = operand(c, input);
    const scaled = k.mul(0.3);
    expect(k.mulInPlace(-1.23)).toBe(k);
    return [["0.3·K", scaled, denseCombination([0.3, p])], ["K *= −1.23", k, denseCombination([-1.23, p])]];
  },
  "matmat": (c, input) => {
    const [k, p] = operand(c, input);
    return [["K X", k.matmat(input.x), denseProduct(p, f64(input.x))]];
  },
  "rmatmat is the transpose product": (c, input) => {
    const [k, p] = operand(c, input);
    return [["Kᵀ X", k.rmatmat(input.x), denseProduct(denseTranspose(p), f64(input.x))]];
  },
  "matmul stays in the structure": (c, input) => {
    const [k1, p1] = operand(c, input, 0);
    const [k2, p2] = operand(c, input, 1);
    const product = k1.matmul(k2);
    expect(product.structureName).toBe(c.structure.structureName);
    expect(product.constructor).toBe(k1.constructor);
    // Compared with the unprojected dense product: equality shows the product is in the structure.
    return [["K1 K2", product, denseProduct(p1, p2)]];
  },
  "fromInner without X": (c, input) => {
    const [k, p] = operand(c, input);
    return [["Π(KᵀK)", k.fromInner(), c.project(denseProduct(denseTranspose(p), p))]];
  },
  "fromInner with X": (c, input) => {
    const [k, p] = operand(c, input);
    const s = denseProduct(denseTranspose(p), f64(input.x));
    return [["Π(Kᵀ X Xᵀ K)", k.fromInner(input.x), c.project(denseProduct(s, denseTranspose(s)))]];
  },
  "fromMatInner": (c, { x }) => [["Π(X Xᵀ)", c.structure.fromMatInner(x), c.project(denseProduct(f64(x), denseTranspose(f64(x))))]],
  "fromInner2": (c, input) => {
    const [k, p] = operand(c, input);
    const xxt = denseProduct(f64(input.x), denseTranspose(f64(input.x)));
    const sandwich = (m: Dense) => c.project(denseProduct(denseTranspose(p), denseProduct(m, p)));
    return [
      ["Π(Kᵀ XXᵀ K)", k.fromInner2(xxt.astype(input.dtype)), sandwich(f64(xxt.astype(input.dtype)))],
      ["Π(Kᵀ M K), M non-symmetric", k.fromInner2(input.square), sandwich(f64(input.square))],
    ];
  },
  "trace and averageTrace": (c, input) => {
    const [k, p] = operand(c, input);
    return [["tr K", k.trace(), denseTrace(p)], ["tr K / n", k.averageTrace(), denseTrace(p) / input.n]];
  },
  "diagAddInPlace": (c, input) => {
    const [k, p] = operand(c, input);
    expect(k.diagAddInPlace(-1.23)).toBe(k);
    return [["K − 1.23 I", k, c.project(denseCombination([1, p], [-1.23, identity(input.n)]))]];
  },
  "norms": (c, input) => {
    const [k, p] = operand(c, input);
    return [
      ["‖K‖_F", k.frobeniusNorm(), denseFrobeniusNorm(p), NORM_TOLERANCE],
      ["max |stored entry|", k.infinityVectorNorm(), denseMaxAbs(p), NORM_TOLERANCE],
    ];
  },
  "zeros and eye": (c, { n, dtype }) => [
    ["0", c.structure.zeros(n, dtype), denseCombination([0, identity(n)]), NORM_TOLERANCE],
    ["I", c.structure.eye(n, dtype), identity(n), NORM_TOLERANCE],
  ],
  "clone is independent": (c, input) => {
    const [k, p] = operand(c, input);
    const copy = k.clone();
    copy.mulInPlace(2).diagAddInPlace(1);
    return [["K after changing its clone", k, p], ["2K + I", copy, c.project(denseCombination([2, p], [1, identity(input.n)]))]];
  },
};

function runCheck([what, actual, expected, tolerance]: Check, { n, dtype }: Inputs): void {
  const label = `n = ${n}, ${what}`;
  const tol = tolerance ?? TOLERANCES[dtype];
  if (typeof actual === "number") {
    const result = compare([actual], [expected as number], tol);
    expect(result.ok, `${label}: ${result.message}`).toBe(true);
    return;
  }
  const isStructured = !("data" in actual);
  const dense = isStructured ? (actual as StructuredMatrix).toDense() : (actual as Tensor);
  expect(dense.dtype, `${label}: dtype`).toBe(dtype);
  if (isStructured) {
    for (const [name, t] of (actual as StructuredMatrix).namedTensors()) expect(t.dtype, `${label}: stored ${name}`).toBe(dtype);
  }
  const result = compare(dense.astype("float64"), expected as Dense, tol);
  expect(result.ok, `${label}: ${result.message}`).toBe(true);
}

describe.each(STRUCTURE_CASES.map((c) => [c.structure.structureName, c] as const))("%s", (_, structureCase) => {
  describe.each(["float64", "float32"] as const)("%s", (dtype) => {
    it.each(Object.entries(OPERATIONS))("%s", (_, operation) => {
      for (const n of DIMS) {
        const input = inputs(n, dtype);
        for (const check of operation(structureCase, input)) runCheck(check, input);
      }
    });
  });
});
