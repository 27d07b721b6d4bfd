// The examples of README.md and of the TSDoc comments, run, with the values
// their comments claim.
import { Tensor, tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { BlockDiagonalLinearOperator } from "./block-diagonal-linear-operator.js";
import { DenseLinearOperator } from "./dense-linear-operator.js";
import { DiagonalLinearOperator } from "./diagonal-linear-operator.js";
import { EigendecomposedLinearOperator } from "./eigendecomposed-linear-operator.js";
import { IdentityLinearOperator } from "./identity-linear-operator.js";
import { KroneckerProductLinearOperator } from "./kronecker-product-linear-operator.js";
import { LinearOperator } from "./linear-operator.js";
import { SubmatrixLinearOperator } from "./submatrix-linear-operator.js";
import { denseProduct, expectClose, plusDiagonal } from "./testing/dense-reference.js";

const f64 = (x: number[] | number[][]) => tensor(x, { dtype: "float64" });
const exact = { rtol: 1e-14, atol: 1e-14 };

describe("README", () => {
  it("builds a KFAC-shaped block-diagonal operator and a lazy expression", async () => {
    const g = f64([[2, 1], [1, 2]]);
    const a = f64([[1, 0, 0], [0, 2, 0], [0, 0, 3]]);
    const kfac = new BlockDiagonalLinearOperator([new KroneckerProductLinearOperator(g, a), new IdentityLinearOperator(2)]);
    expect(kfac.shape).toEqual([8, 8]);
    expect(kfac.inputShapes).toEqual([[6], [2]]);
    const w = f64([[1, 2, 3], [4, 5, 6]]);
    const [gw, b] = await kfac.matvec([w.reshape([6]), f64([1, 1])]);
    expect(gw.toArray()).toEqual(denseProduct(denseProduct(g, w), a.transpose()).toArray());
    expect(b.toArray()).toEqual([1, 1]);
    expectClose(await kfac.logdet(), 3 * Math.log(3) + 2 * Math.log(6), exact);
    const preconditioner = kfac.inverse(1e-3);
    const [, bias] = await preconditioner.matvec([f64([0, 0, 0, 0, 0, 0]), f64([1, 1])]);
    expectClose(bias, f64([1 / 1.001, 1 / 1.001]), exact);

    const m = new DenseLinearOperator(f64([[1, 2], [3, 4]]));
    const expression = m.compose(m.adjoint()).add(new IdentityLinearOperator(2)).scale(0.5);
    expect((await expression.toDense()).toNested()).toEqual([[3, 5.5], [5.5, 13]]);
  });

  it("implements an operator with matmatImpl and adjoint", async () => {
    class Twice extends LinearOperator<"float64"> {
      constructor() {
        super({ dtype: "float64", inputShapes: [[3, 2], [2]], outputShapes: [[3, 2], [2]] });
      }
      protected async matmatImpl(x: Tensor<"float64">): Promise<Tensor<"float64">> {
        return new Tensor("float64", x.shape, x.data.map((v) => 2 * v));
      }
      adjoint(): LinearOperator<"float64"> {
        return this;
      }
    }
    const [weight, bias] = await new Twice().matvec([f64([[1, 2], [3, 4], [5, 6]]), f64([7, 8])]);
    expect([weight.toNested(), bias.toNested()]).toEqual([[[2, 4], [6, 8], [10, 12]], [14, 16]]);
    expect(await new Twice().trace()).toBe(16);
  });
});

describe("TSDoc examples", () => {
  it("LinearOperator", async () => {
    const a = new DenseLinearOperator(f64([[1, 2], [3, 4]]));
    expect((await a.matvec(f64([1, 1]))).toArray()).toEqual([3, 7]);
    const b = a.add(new IdentityLinearOperator(2)).scale(2);
    expect((await b.toDense()).toNested()).toEqual([[4, 4], [6, 10]]);
    expect(await a.compose(a.adjoint()).trace()).toBe(30);
  });

  it("DiagonalLinearOperator", async () => {
    const d = new DiagonalLinearOperator([f64([[1, 2], [3, 4]]), f64([5])]);
    expect(d.shape).toEqual([5, 5]);
    expect((await d.matvec(d.diagonal)).map((t) => t.toNested())).toEqual([[[1, 4], [9, 16]], [25]]);
    expectClose(await d.inverse(1).trace(), 1 / 2 + 1 / 3 + 1 / 4 + 1 / 5 + 1 / 6, exact);
  });

  it("IdentityLinearOperator", async () => {
    const id = new IdentityLinearOperator([[2, 3], [3]], "float64");
    expect(id.shape).toEqual([9, 9]);
    expect(await id.trace()).toBe(9);
    expect(await id.inverse(1).trace()).toBe(4.5);
  });

  it("DenseLinearOperator", async () => {
    const a = new DenseLinearOperator(f64([[2, 1], [1, 2]]));
    expect((await a.matvec(f64([1, 0]))).toArray()).toEqual([2, 1]);
    expectClose(await a.det(), 3, exact);
    expectClose(await a.inverse(1).toDense(), f64([[3 / 8, -1 / 8], [-1 / 8, 3 / 8]]), exact);
  });

  it("EigendecomposedLinearOperator", async () => {
    const a = EigendecomposedLinearOperator.fromSymmetric(f64([[2, 1], [1, 2]]));
    expectClose(a.eigenvalues, f64([1, 3]), exact);
    expectClose(await a.logdet(), Math.log(3), exact);
    expectClose(await a.inverse(1).toDense(), f64([[3 / 8, -1 / 8], [-1 / 8, 3 / 8]]), exact);
  });

  it("KroneckerProductLinearOperator", async () => {
    const a = f64([[2, 1], [1, 3]]);
    const b = f64([[4, 0, 1], [0, 1, 0], [1, 0, 2]]);
    const k = new KroneckerProductLinearOperator(a, b);
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    expectClose(await k.matvec(x.reshape([6])), denseProduct(denseProduct(a, x), b.transpose()).reshape([6]), exact);
    expectClose(await k.logdet(), 3 * Math.log(5) + 2 * Math.log(7), exact);
    const dense = await k.toDense();
    const exactInverse = await k.inverse(0.1).toDense();
    expectClose(denseProduct(plusDiagonal(dense, 0.1), exactInverse), f64([...Array(6)].map((_, i) => [...Array(6)].map((_, j) => (i === j ? 1 : 0)))), { rtol: 1e-12, atol: 1e-13 });
  });
});

describe("more TSDoc examples", () => {
  it("BlockDiagonalLinearOperator", async () => {
    const k = new BlockDiagonalLinearOperator([
      new KroneckerProductLinearOperator(f64([[2, 1], [1, 2]]), f64([[1, 0], [0, 4]])),
      new DiagonalLinearOperator(f64([5])),
    ]);
    expect(k.inputShapes).toEqual([[4], [1]]);
    expectClose(await k.logdet(), Math.log(144) + Math.log(5), exact);
    expect(k.inverse(1e-3).shape).toEqual([5, 5]);
  });

  it("SubmatrixLinearOperator", async () => {
    const a = new DenseLinearOperator(f64([[1, 2, 3], [4, 5, 6], [7, 8, 9]]));
    const block = new SubmatrixLinearOperator(a, [2, 0], [1]);
    expect((await block.toDense()).toNested()).toEqual([[8], [2]]);
  });
});
