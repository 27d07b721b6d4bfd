import { matmul, type FloatDType, type Tensor } from "@curv/tensor";
import { linearCombination } from "./matrix-arithmetic.js";
import { rowBlock, stackRows } from "./matrix-blocks.js";
import { assertOperand } from "./operand-checks.js";
import { transposeTimes } from "./products.js";
import { RecursiveMatrix } from "./recursive-matrix.js";
import type { StructuredMatrix } from "./structured-matrix.js";

/**
 * `[[A, 0], [B, C]]` (SINGD's `RecursiveBottomLeftMatrixTemplate`), built by a
 * {@link RecursiveBottomLeftStructure}. A and C keep their structures through
 * every operation, B is dense `[n − b, b]`.
 *
 * @example
 * ```ts
 * const s = tensor([[1, 2, 3], [2, 4, 5], [3, 5, 6]], { dtype: "float64" });
 * const k = TrilTopLeftDiagonalMatrix.fromDense(s);
 * k.toDense().toNested(); // [[1, 0, 0], [0, 4, 0], [6, 10, 6]]
 * ```
 */
export class RecursiveBottomLeftMatrix<D extends FloatDType = FloatDType> extends RecursiveMatrix<D> {
  /** `[A X_a;  B X_a + C X_c]`. */
  matmat(x: Tensor<D>): Tensor<D> {
    assertOperand(x, this.dim, this.dtype, `${this.structureName}.matmat: X`);
    const [xa, xc] = this.splitRows(x);
    return stackRows([this.A.matmat(xa), linearCombination([matmul(this.B, xa), this.C.matmat(xc)])]);
  }

  /** `[Aᵀ X_a + Bᵀ X_c;  Cᵀ X_c]`. */
  rmatmat(x: Tensor<D>): Tensor<D> {
    assertOperand(x, this.dim, this.dtype, `${this.structureName}.rmatmat: X`);
    const [xa, xc] = this.splitRows(x);
    return stackRows([linearCombination([this.A.rmatmat(xa), transposeTimes(this.B, xc)]), this.C.rmatmat(xc)]);
  }

  /** `[[AA', 0], [BA' + CB', CC']]`, with `BA' = (A'ᵀBᵀ)ᵀ` from A's structured `rmatmat`. */
  matmul(other: this): this {
    this.assertSameStructure(other, `${this.structureName}.matmul`);
    const offDiagonal = linearCombination([other.A.rmatmat(this.B.transpose()).transpose(), this.C.matmat(other.B)]);
    return this.withParts(this.A.matmul(other.A), offDiagonal, this.C.matmul(other.C));
  }

  /** Π(KᵀK) = `[[Π_A(AᵀA) + Π_A(BᵀB), ·], [2CᵀB, Π_C(CᵀC)]]`. */
  protected projectedGram(): this {
    const upper = this.A.fromInner().add(this.family.structureA.fromMatInner(this.B.transpose()));
    return this.withParts(upper, linearCombination([this.C.rmatmat(this.B)], [2]), this.C.fromInner());
  }

  protected withParts(a: StructuredMatrix<D>, b: Tensor<D>, c: StructuredMatrix<D>): this {
    return new RecursiveBottomLeftMatrix(this.family, a, b, c) as this;
  }

  protected offDiagonalOrigin(): [number, number] {
    return [this.A.dim, 0];
  }

  private splitRows(x: Tensor<D>): [Tensor<D>, Tensor<D>] {
    return [rowBlock(x, 0, this.A.dim), rowBlock(x, this.A.dim, this.dim)];
  }
}
