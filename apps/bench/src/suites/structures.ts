import { SUPPORTED_STRUCTURES, type Structure, type StructuredMatrix, type SupportedStructureName } from "@curv/structures";
import { Generator, type Tensor } from "@curv/tensor";
import type { BenchCase, BenchSuite, TimedFunction } from "../suite.js";

// SINGD's structures against the dense structure, which is the dense
// equivalent of every operation: time per call here, and in the JSON report
// the bytes the structure stores next to the n² doubles of a dense matrix.

const SIZES = [1024, 4096];
/** Columns of the dense operand of `matmat` and `fromInner(X)`, a typical batch of layer inputs. */
const COLUMNS = 64;

/** What one case works on: a structure, a dense matrix, two structured matrices and a dense `[n, 64]` operand. */
interface Inputs {
  structure: Structure;
  dense: Tensor<"float64">;
  k: StructuredMatrix<"float64">;
  other: StructuredMatrix<"float64">;
  x: Tensor<"float64">;
}

const OPERATIONS: Record<string, (inputs: Inputs) => TimedFunction> = {
  fromDense: ({ structure, dense }) => () => structure.fromDense(dense),
  matmat: ({ k, x }) => () => k.matmat(x),
  matmul: ({ k, other }) => () => k.matmul(other),
  "fromInner(X)": ({ k, x }) => () => k.fromInner(x),
  "fromInner()": ({ k }) => () => k.fromInner(),
};

/** The O(n³) dense products at n = 4096 take about half a minute per call; they are left out. */
function isTooSlow(name: SupportedStructureName, operation: string, n: number): boolean {
  return name === "dense" && n > 1024 && (operation === "matmul" || operation === "fromInner()");
}

function structureCase(name: SupportedStructureName, operation: string, n: number, storedBytes: number): BenchCase {
  return {
    name: `${name} ${operation} n=${n}`,
    n,
    iterations: name === "dense" || n > 1024 ? 3 : 10,
    extra: { dtype: "float64", structure: name, operation, storedBytes, denseBytes: n * n * 8 },
    prepare: () => {
      const structure = SUPPORTED_STRUCTURES[name];
      const g = new Generator(n);
      const dense = g.normal([n, n], { dtype: "float64" });
      const inputs: Inputs = {
        structure,
        dense,
        k: structure.fromDense(dense),
        other: structure.fromDense(g.normal([n, n], { dtype: "float64" })),
        x: g.normal([n, COLUMNS], { dtype: "float64" }),
      };
      return OPERATIONS[operation](inputs);
    },
  };
}

function cases(): BenchCase[] {
  const names = Object.keys(SUPPORTED_STRUCTURES) as SupportedStructureName[];
  return SIZES.flatMap((n) =>
    names.flatMap((name) => {
      const storedBytes = SUPPORTED_STRUCTURES[name].zeros(n).byteLength;
      return Object.keys(OPERATIONS)
        .filter((operation) => !isTooSlow(name, operation, n))
        .map((operation) => structureCase(name, operation, n, storedBytes));
    }),
  );
}

/** SINGD's six structures from @curv/structures, each operation timed against the dense structure. */
export const structuresSuite: BenchSuite = {
  name: "structures",
  description: `SINGD structures vs dense, float64, n = ${SIZES.join(" and ")}: fromDense, matmat with [n, ${COLUMNS}], matmul, fromInner(X), fromInner()`,
  cases,
};
