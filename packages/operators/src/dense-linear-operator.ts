import {
  DTypeError, LinAlgError, ShapeError, Tensor, ValueError, det, formatShape, inv, isFloat, matmul, sizeOf, slogdet,
  type FloatDType, type Shape, type SignAndLogDeterminant,
} from "@curv/tensor";
import { checkDamping, type InvertibleLinearOperator } from "./damped-inverse.js";
import { assertSquare, frobeniusNormOfValues, isExactlySymmetric, traceOfMatrix } from "./dense-fallbacks.js";
import { LinearOperator } from "./linear-operator.js";
import { formatShapes, shapeListsEqual } from "./operand-format.js";

/** Options of {@link DenseLinearOperator}. */
export interface DenseLinearOperatorOptions {
  /** Blocks of the input space (list format); default one block `[cols]`. */
  inputShapes?: readonly Shape[];
  /** Blocks of the output space (list format); default one block `[rows]`. */
  outputShapes?: readonly Shape[];
}

function checkMatrix(matrix: Tensor): void {
  if (!(matrix instanceof Tensor)) throw new ValueError("DenseLinearOperator: matrix must be a 2-D Tensor");
  if (!isFloat(matrix.dtype)) throw new DTypeError(`DenseLinearOperator: matrix must be float32 or float64, got ${matrix.dtype}`);
  if (matrix.ndim !== 2) throw new ShapeError(`DenseLinearOperator: matrix must be 2-D, got shape ${formatShape(matrix.shape)}`);
}

function checkBlocks(shapes: readonly Shape[], size: number, name: string): void {
  const total = shapes.reduce((n, s) => n + sizeOf(s), 0);
  if (total !== size) {
    throw new ShapeError(`DenseLinearOperator: ${name} ${formatShapes(shapes)} hold ${total} entries, the matrix has ${size}`);
  }
}

/**
 * An explicit `[rows, cols]` matrix as an operator (curvlinops' example
 * `TensorLinearOperator`), optionally with list-format blocks.
 *
 * Exact, at dense cost: `trace` (O(n)), `det` / `slogdet` (LU, O(n³)),
 * `frobeniusNorm` (O(n²)), and `inverse(damping)` = `inv(A + damping·I)`
 * (LU, O(n³)), which throws a `LinAlgError` when LU meets an exactly zero
 * pivot. A nearly singular matrix gives a large inverse instead; check
 * `slogdet` first when that matters.
 *
 * @example
 * ```ts
 * const a = new DenseLinearOperator(tensor([[2, 1], [1, 2]], { dtype: "float64" }));
 * await a.matvec(tensor([1, 0], { dtype: "float64" }));  // [2, 1]
 * await a.det();                                          // 3
 * (await a.inverse(1).toDense()).toNested();              // inv([[3, 1], [1, 3]])
 * ```
 */
export class DenseLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> implements InvertibleLinearOperator<D> {
  /** The wrapped matrix (not copied: do not change it). */
  readonly matrix: Tensor<D>;

  constructor(matrix: Tensor<D>, { inputShapes, outputShapes }: DenseLinearOperatorOptions = {}) {
    checkMatrix(matrix);
    const [rows, cols] = matrix.shape;
    const inputs = inputShapes ?? [[cols]];
    const outputs = outputShapes ?? [[rows]];
    super({ dtype: matrix.dtype, inputShapes: inputs, outputShapes: outputs });
    checkBlocks(this.inputShapes, cols, "inputShapes");
    checkBlocks(this.outputShapes, rows, "outputShapes");
    this.matrix = matrix;
  }

  #symmetric: boolean | undefined;

  protected async matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    return matmul(this.matrix, x);
  }

  /** Whether the matrix equals its transpose exactly and the input blocks are the output blocks (checked once, O(n²)). */
  override get isSelfAdjoint(): boolean {
    this.#symmetric ??= shapeListsEqual(this.inputShapes, this.outputShapes) && isExactlySymmetric(this.matrix);
    return this.#symmetric;
  }

  adjoint(): LinearOperator<D> {
    if (this.isSelfAdjoint) return this;
    return new DenseLinearOperator(this.matrix.transpose(), { inputShapes: this.outputShapes, outputShapes: this.inputShapes });
  }

  /** The matrix itself. */
  override async toDense(): Promise<Tensor<D>> {
    return this.matrix.clone();
  }

  override async trace(): Promise<number> {
    assertSquare(this, "trace");
    return traceOfMatrix(this.matrix);
  }

  override async det(): Promise<number> {
    assertSquare(this, "det");
    return det(this.matrix);
  }

  override async slogdet(): Promise<SignAndLogDeterminant> {
    assertSquare(this, "slogdet");
    return slogdet(this.matrix);
  }

  override async frobeniusNorm(): Promise<number> {
    return frobeniusNormOfValues(this.matrix.data);
  }

  /** `inv(A + damping·I)` as a dense operator with the same blocks. */
  inverse(damping = 0): DenseLinearOperator<D> {
    checkDamping(damping, this.constructor.name);
    const n = assertSquare(this, "inverse");
    const damped = this.matrix.clone();
    for (let i = 0; i < n; i++) damped.data[i * n + i] += damping;
    let inverse: Tensor<D>;
    try {
      inverse = inv(damped);
    } catch (error) {
      if (!(error instanceof LinAlgError)) throw error;
      throw new LinAlgError(`${this.constructor.name}.inverse: A + damping·I is singular (damping ${damping})`, { cause: error });
    }
    return new DenseLinearOperator(inverse, { inputShapes: this.outputShapes, outputShapes: this.inputShapes });
  }
}
