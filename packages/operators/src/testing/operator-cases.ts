// The operators every building-block test runs on, each with its dense matrix
// built independently in float64 (see dense-reference.ts).
import { Generator, Tensor, eigh, eye, type FloatDType } from "@curv/tensor";
import { BlockDiagonalLinearOperator } from "../block-diagonal-linear-operator.js";
import { DenseLinearOperator } from "../dense-linear-operator.js";
import { DiagonalLinearOperator } from "../diagonal-linear-operator.js";
import { EigendecomposedLinearOperator } from "../eigendecomposed-linear-operator.js";
import { IdentityLinearOperator } from "../identity-linear-operator.js";
import { KroneckerProductLinearOperator } from "../kronecker-product-linear-operator.js";
import type { LinearOperator } from "../linear-operator.js";
import { SubmatrixLinearOperator } from "../submatrix-linear-operator.js";
import {
  asFloat64, denseBlockDiag, denseCombination, denseKron, denseProduct, denseSlice, plusDiagonal, randomMatrix, randomSpd, randomSymmetric,
} from "./dense-reference.js";

export interface OperatorCase {
  name: string;
  build<D extends FloatDType>(dtype: D): { operator: LinearOperator<D>; dense: Tensor<"float64"> };
  /** Dampings to check `inverse` with; absent when the operator has no exact inverse. */
  dampings?: readonly number[];
}

/** A random matrix plus `shift·I`: nonsymmetric and safely nonsingular. */
function shifted<D extends FloatDType>(g: Generator, n: number, shift: number, dtype: D): Tensor<D> {
  return plusDiagonal(randomMatrix(g, n, n, "float64"), shift).astype(dtype);
}

function diagonalMatrix(values: Tensor<FloatDType>): Tensor<"float64"> {
  const n = values.size;
  const out = new Tensor("float64", [n, n]);
  for (let i = 0; i < n; i++) out.data[i * n + i] = values.data[i];
  return out;
}

export const OPERATOR_CASES: readonly OperatorCase[] = [
  {
    name: "identity on blocks [2, 3], [4]",
    build: (dtype) => ({ operator: new IdentityLinearOperator([[2, 3], [4]], dtype), dense: eye(10, 10, "float64") }),
    dampings: [0, 0.5, -3],
  },
  {
    name: "diagonal on blocks [2, 2], [3], one negative entry",
    build: (dtype) => {
      const g = new Generator(1);
      const a = g.uniform([2, 2], { low: 0.5, high: 2, dtype });
      const b = g.uniform([3], { low: 0.5, high: 2, dtype });
      a.data[1] = -a.data[1];
      const flat = new Tensor("float64", [7], Float64Array.from([...a.data, ...b.data]));
      return { operator: new DiagonalLinearOperator([a, b]), dense: diagonalMatrix(flat) };
    },
    dampings: [0, 0.25],
  },
  {
    name: "dense 5 x 5 with blocks in [2, 2], [1] and out [1], [4]",
    build: (dtype) => {
      const m = shifted(new Generator(2), 5, 3, dtype);
      return { operator: new DenseLinearOperator(m, { inputShapes: [[2, 2], [1]], outputShapes: [[1], [4]] }), dense: asFloat64(m) };
    },
    dampings: [0, 0.5],
  },
  {
    name: "dense 4 x 6 (rectangular)",
    build: (dtype) => {
      const m = randomMatrix(new Generator(3), 4, 6, dtype);
      return { operator: new DenseLinearOperator(m, { inputShapes: [[2, 3]], outputShapes: [[2], [2]] }), dense: asFloat64(m) };
    },
  },
  {
    name: "kron of SPD 3 x 3 and 2 x 2",
    build: (dtype) => {
      const g = new Generator(4);
      const [a, b] = [randomSpd(g, 3, dtype), randomSpd(g, 2, dtype)];
      return { operator: new KroneckerProductLinearOperator(a, b), dense: denseKron(a, b) };
    },
    dampings: [0, 0.1, -0.2],
  },
  {
    name: "kron of three SPD factors 2, 3, 2",
    build: (dtype) => {
      const g = new Generator(5);
      const [a, b, c] = [randomSpd(g, 2, dtype), randomSpd(g, 3, dtype), randomSpd(g, 2, dtype)];
      return { operator: new KroneckerProductLinearOperator(a, b, c), dense: denseKron(denseKron(a, b), c) };
    },
    dampings: [0, 0.3],
  },
  {
    name: "kron of nonsymmetric 2 x 2 and 3 x 3",
    build: (dtype) => {
      const g = new Generator(6);
      const [a, b] = [shifted(g, 2, 2, dtype), shifted(g, 3, -2.5, dtype)];
      return { operator: new KroneckerProductLinearOperator(a, b), dense: denseKron(a, b) };
    },
    dampings: [0],
  },
  {
    name: "kron of rectangular 2 x 3 and 4 x 2",
    build: (dtype) => {
      const g = new Generator(7);
      const [a, b] = [randomMatrix(g, 2, 3, dtype), randomMatrix(g, 4, 2, dtype)];
      return { operator: new KroneckerProductLinearOperator(a, b), dense: denseKron(a, b) };
    },
  },
  {
    name: "block-diagonal of dense, kron and diagonal",
    build: (dtype) => {
      const g = new Generator(8);
      const m = shifted(g, 3, 3, dtype);
      const [a, b] = [randomSpd(g, 2, dtype), randomSpd(g, 2, dtype)];
      const d = g.uniform([2], { low: 1, high: 2, dtype });
      const operator = new BlockDiagonalLinearOperator<typeof dtype>([
        new DenseLinearOperator(m), new KroneckerProductLinearOperator(a, b), new DiagonalLinearOperator(d),
      ]);
      return { operator, dense: denseBlockDiag([m, denseKron(a, b), diagonalMatrix(d)]) };
    },
    dampings: [0, 0.4],
  },
  {
    name: "block-diagonal of rectangular blocks 2 x 3 and 3 x 1",
    build: (dtype) => {
      const g = new Generator(9);
      const [a, b] = [randomMatrix(g, 2, 3, dtype), randomMatrix(g, 3, 1, dtype)];
      const operator = new BlockDiagonalLinearOperator<typeof dtype>([
        new DenseLinearOperator(a, { inputShapes: [[3]], outputShapes: [[2]] }), new DenseLinearOperator(b),
      ]);
      return { operator, dense: denseBlockDiag([a, b]) };
    },
  },
  {
    name: "eigendecomposed from a symmetric 4 x 4",
    build: (dtype) => {
      const s = randomSymmetric(new Generator(10), 4, dtype);
      return { operator: EigendecomposedLinearOperator.fromSymmetric(s), dense: asFloat64(s) };
    },
    dampings: [0, 0.7],
  },
  {
    name: "eigendecomposed with a Kronecker eigenbasis",
    build: (dtype) => {
      const g = new Generator(11);
      const q1 = eigh(randomSpd(g, 2, "float64")).eigenvectors;
      const q2 = eigh(randomSpd(g, 3, "float64")).eigenvectors;
      const lambda = g.uniform([6], { low: 0.5, high: 3, dtype });
      const q = denseKron(q1, q2);
      const operator = new EigendecomposedLinearOperator(lambda, new KroneckerProductLinearOperator(q1.astype(dtype), q2.astype(dtype)));
      return { operator, dense: denseProduct(denseProduct(q, diagonalMatrix(lambda)), q.transpose()) };
    },
    dampings: [0.1],
  },
  {
    name: "sum: dense + diagonal - kron",
    build: (dtype) => {
      const g = new Generator(12);
      const m = randomMatrix(g, 6, 6, dtype);
      const d = g.uniform([6], { low: 1, high: 2, dtype });
      const [a, b] = [randomSpd(g, 2, dtype), randomSpd(g, 3, dtype)];
      const operator = new DenseLinearOperator(m).add(new DiagonalLinearOperator(d)).sub(new KroneckerProductLinearOperator(a, b));
      return { operator, dense: denseCombination([[1, m], [1, diagonalMatrix(d)], [-1, denseKron(a, b)]]) };
    },
  },
  {
    name: "scaled kron, -2.5 (even size)",
    build: (dtype) => {
      const g = new Generator(13);
      const [a, b] = [randomSpd(g, 2, dtype), randomSpd(g, 3, dtype)];
      return { operator: new KroneckerProductLinearOperator(a, b).scale(-2.5), dense: denseCombination([[-2.5, denseKron(a, b)]]) };
    },
  },
  {
    name: "negated dense 5 x 5 (odd size)",
    build: (dtype) => {
      const m = shifted(new Generator(14), 5, 2, dtype);
      return { operator: new DenseLinearOperator(m).neg(), dense: denseCombination([[-1, m]]) };
    },
  },
  {
    name: "product of square factors: dense, diagonal, kron",
    build: (dtype) => {
      const g = new Generator(15);
      const m = shifted(g, 4, 2, dtype);
      const d = g.uniform([4], { low: -2, high: -1, dtype });
      const [a, b] = [randomSpd(g, 2, dtype), randomSpd(g, 2, dtype)];
      const operator = new DenseLinearOperator(m).compose(new DiagonalLinearOperator(d)).compose(new KroneckerProductLinearOperator(a, b));
      return { operator, dense: denseProduct(denseProduct(m, diagonalMatrix(d)), denseKron(a, b)) };
    },
  },
  {
    name: "product of rectangular factors 4 x 5 and 5 x 4",
    build: (dtype) => {
      const g = new Generator(16);
      const [a, b] = [randomMatrix(g, 4, 5, dtype), randomMatrix(g, 5, 4, dtype)];
      return { operator: new DenseLinearOperator(a).compose(new DenseLinearOperator(b)), dense: denseProduct(a, b) };
    },
  },
  {
    name: "sub-matrix rows [4, 0, 2], columns [1, 3] of a dense 6 x 5",
    build: (dtype) => {
      const m = randomMatrix(new Generator(17), 6, 5, dtype);
      return { operator: new SubmatrixLinearOperator(new DenseLinearOperator(m), [4, 0, 2], [1, 3]), dense: denseSlice(m, [4, 0, 2], [1, 3]) };
    },
  },
  {
    name: "principal sub-matrix [5, 1, 3] of a kron",
    build: (dtype) => {
      const g = new Generator(18);
      const [a, b] = [randomSpd(g, 2, dtype), randomSpd(g, 3, dtype)];
      const operator = new SubmatrixLinearOperator(new KroneckerProductLinearOperator(a, b), [5, 1, 3], [5, 1, 3]);
      return { operator, dense: denseSlice(denseKron(a, b), [5, 1, 3], [5, 1, 3]) };
    },
  },
];
