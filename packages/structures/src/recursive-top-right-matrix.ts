import { matmul, type FloatDType, type Tensor } from "@curv/tensor";
import { linearCombination } from "./matrix-arithmetic.js";
import { rowBlock, stackRows } from "./matrix-blocks.js";
import { assertOperand } from "./operand-checks.js";
import { transposeTimes } from "./products.js";
import { RecursiveMatrix } from "./recursive-matrix.js";
import type { StructuredMatrix } from "./structured-matrix.js";

/**
 * `[[A, B], [0, C]]` (SINGD's `RecursiveTopRightMatrixTemplate`), built by a
 * {@link RecursiveTopRightStructure}. A and C keep their structures through
 * every operation, B is dense `[b, n − b]`.
 *
 * @example
 * ```ts
 * const s = tensor([[1, 2, 3], [2, 4, 5], [3, 5, 6]], { dtype: "float64" });
 * const k = TriuBottomRightDiagonalMatrix.fromDense(s);
 * k.toDense().toNested(); // [[1, 4, 6], [0, 4, 0], [0, 0, 6]]
 * ```
 */
export class RecursiveTopRightMatrix<D extends FloatDType = FloatDType> extends RecursiveMatrix<D> {
  /** `[A X_a + B X_c;  C X_c]`. */
  matmat(x: Tensor<D>): Tensor<D> {
    assertOperand(x, this.dim, this.dtype, `${this.structureName}.matmat: X`);
    const [xa, xc] = this.splitRows(x);
    return stackRows([linearCombination([this.A.matmat(xa), matmul(this.B, xc)]), this.C.matmat(xc)]);
  }

  /** `[Aᵀ X_a;  Bᵀ X_a + Cᵀ X_c]`. */
  rmatmat(x: Tensor<D>): Tensor<D> {
    assertOperand(x, this.dim, this.dtype, `${this.structureName}.rmatmat: X`);
    const [xa, xc] = this.splitRows(x);
    return stackRows([this.A.rmatmat(xa), linearCombination([transposeTimes(this.B, xa), this.C.rmatmat(xc)])]);
  }

  /** `[[AA', AB' + BC'], [0, CC']]`, with `BC' = (C'ᵀBᵀ)ᵀ` from C's structured `rmatmat`. */
  matmul(other: this): this {
    this.assertSameStructure(other, `${this.structureName}.matmul`);
    const offDiagonal = linearCombination([this.A.matmat(other.B), other.C.rmatmat(this.B.transpose()).transpose()]);
    return this.withParts(this.A.matmul(other.A), offDiagonal, this.C.matmul(other.C));
  }

  /** Π(KᵀK) = `[[Π_A(AᵀA), 2AᵀB], [·, Π_C(CᵀC) + Π_C(BᵀB)]]`. */
  protected projectedGram(): this {
    const lower = this.C.fromInner().add(this.family.structureC.fromMatInner(this.B.transpose()));
    return this.withParts(this.A.fromInner(), linearCombination([this.A.rmatmat(this.B)], [2]), lower);
  }

  protected withParts(a: StructuredMatrix<D>, b: Tensor<D>, c: StructuredMatrix<D>): this {
    return new RecursiveTopRightMatrix(this.family, a, b, c) as this;
  }

  protected offDiagonalOrigin(): [number, number] {
    return [0, this.A.dim];
  }

  private splitRows(x: Tensor<D>): [Tensor<D>, Tensor<D>] {
    return [rowBlock(x, 0, this.A.dim), rowBlock(x, this.A.dim, this.dim)];
  }
}
