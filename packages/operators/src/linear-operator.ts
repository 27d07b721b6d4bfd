import {
  DTypeError, ShapeError, ValueError, formatShape, isFloat, shapesEqual, sizeOf,
  type FloatDType, type Shape, type SignAndLogDeterminant, type Tensor,
} from "@curv/tensor";
import { denseDet, denseFrobeniusNorm, denseSlogdet, denseTrace, logdetFromSlogdet } from "./dense-fallbacks.js";
import { readOperand, writeResult, type Operand, type OperandKind } from "./operand-format.js";
import { denseMatrixOf, type ToDenseOptions } from "./to-dense.js";

/** The dtype and the block shapes of an operator's input (columns) and output (rows) spaces. */
export interface LinearOperatorSpaces<D extends FloatDType> {
  dtype: D;
  /** Blocks of the input space; their sizes add up to the number of columns. */
  inputShapes: readonly Shape[];
  /** Blocks of the output space; their sizes add up to the number of rows. */
  outputShapes: readonly Shape[];
}

function checkSpaces(dtype: FloatDType, inputShapes: readonly Shape[], outputShapes: readonly Shape[], who: string): void {
  if (!isFloat(dtype)) throw new DTypeError(`${who}: dtype must be float32 or float64, got ${String(dtype)}`);
  for (const [name, shapes] of [["inputShapes", inputShapes], ["outputShapes", outputShapes]] as const) {
    if (!Array.isArray(shapes) || shapes.length === 0) throw new ValueError(`${who}: ${name} must be a non-empty list of shapes`);
    shapes.forEach((s, i) => {
      if (!Array.isArray(s) || !s.every((d) => Number.isInteger(d) && d >= 0)) {
        throw new ShapeError(`${who}: ${name}[${i}] must be a list of non-negative integers, got ${JSON.stringify(s)}`);
      }
    });
  }
}

/**
 * A matrix known only through its products: curv's counterpart of curvlinops'
 * `PyTorchLinearOperator`.
 *
 * - `shape` is `[rows, cols]`; the input space is split into blocks
 *   `inputShapes` (for a curvature operator: one block per parameter, in
 *   parameter order) and the output space into `outputShapes`.
 * - `matvec(v)` takes a `[cols]` tensor or a list of tensors shaped like
 *   `inputShapes` ("list format"); `matmat(M)` takes `[cols, K]` or the list
 *   with a trailing `K` axis on every block. The result comes back in the same
 *   format, shaped like `outputShapes`. `rmatvec` / `rmatmat` multiply with the
 *   transpose (through {@link LinearOperator.adjoint}), taking operands of the
 *   output space.
 * - Products are async: curvature operators run compiled graphs.
 * - `add`, `sub`, `scale`, `neg` and `compose` build new operators; nothing
 *   is evaluated until a product is asked for.
 * - `toDense()` materializes the matrix. `trace`, `det`, `logdet`, `slogdet`
 *   and `frobeniusNorm` fall back to the dense matrix here; building blocks
 *   override them with exact closed forms.
 *
 * A subclass calls `super({ dtype, inputShapes, outputShapes })` and
 * implements `matmatImpl` (one batched product on a `[cols, K]` matrix) and
 * `adjoint`.
 *
 * @example
 * ```ts
 * const a = new DenseLinearOperator(tensor([[1, 2], [3, 4]], { dtype: "float64" }));
 * await a.matvec(tensor([1, 1], { dtype: "float64" }));          // [3, 7]
 * const b = a.add(new IdentityLinearOperator(2)).scale(2);         // 2(A + I), lazily
 * (await b.toDense()).toNested();                                  // [[4, 4], [6, 10]]
 * await a.compose(a.adjoint()).trace();                            // tr(A Aᵀ) = 30
 * ```
 */
/**
 * Internal to the package (not exported from its index): the key of
 * `LinearOperator`'s `out += A x`, which a sum uses for its terms after the first.
 */
export const addProductTo: unique symbol = Symbol("addProductTo");

export abstract class LinearOperator<D extends FloatDType = FloatDType> {
  /** Element type of every product. */
  readonly dtype: D;
  /** `[rows, cols]`. */
  readonly shape: readonly [rows: number, cols: number];
  /** Blocks of the input space, in list format. */
  readonly inputShapes: readonly Shape[];
  /** Blocks of the output space, in list format. */
  readonly outputShapes: readonly Shape[];

  constructor({ dtype, inputShapes, outputShapes }: LinearOperatorSpaces<D>) {
    checkSpaces(dtype, inputShapes, outputShapes, new.target.name);
    this.dtype = dtype;
    this.inputShapes = Object.freeze(inputShapes.map((s) => Object.freeze([...s])));
    this.outputShapes = Object.freeze(outputShapes.map((s) => Object.freeze([...s])));
    const total = (shapes: readonly Shape[]): number => shapes.reduce((n, s) => n + sizeOf(s), 0);
    this.shape = Object.freeze([total(this.outputShapes), total(this.inputShapes)] as const);
  }

  /**
   * `A X` for `X` of shape `[cols, K]` (already checked); returns `[rows, K]`
   * in the operator's dtype. The one product a subclass implements. It must
   * not change `X`; returning `X` itself is fine (the caller then copies).
   */
  protected abstract matmatImpl(x: Tensor<D>): Promise<Tensor<D>>;

  /** The transpose `Aᵀ` (real operators: the adjoint), with input and output spaces swapped. */
  abstract adjoint(): LinearOperator<D>;

  /** Whether `Aᵀ = A` is known from the operator's structure (then `adjoint()` returns `this`). */
  get isSelfAdjoint(): boolean {
    return false;
  }

  /** `A v` for `v` of shape `[cols]`, or a list of tensors shaped `inputShapes`; the result has the same format. */
  matvec(v: Tensor<D>): Promise<Tensor<D>>;
  matvec(v: readonly Tensor<D>[]): Promise<Tensor<D>[]>;
  matvec(v: Operand<D>): Promise<Tensor<D> | Tensor<D>[]>;
  matvec(v: Operand<D>): Promise<Tensor<D> | Tensor<D>[]> {
    return this.multiply(v, "vector", `${this.constructor.name}.matvec: v`);
  }

  /** `A M` for `M` of shape `[cols, K]`, or a list of tensors shaped `[...inputShapes[i], K]`; same format out. */
  matmat(m: Tensor<D>): Promise<Tensor<D>>;
  matmat(m: readonly Tensor<D>[]): Promise<Tensor<D>[]>;
  matmat(m: Operand<D>): Promise<Tensor<D> | Tensor<D>[]>;
  matmat(m: Operand<D>): Promise<Tensor<D> | Tensor<D>[]> {
    return this.multiply(m, "matrix", `${this.constructor.name}.matmat: M`);
  }

  /** `Aᵀ v` for `v` of shape `[rows]`, or a list shaped `outputShapes`. */
  rmatvec(v: Tensor<D>): Promise<Tensor<D>>;
  rmatvec(v: readonly Tensor<D>[]): Promise<Tensor<D>[]>;
  rmatvec(v: Operand<D>): Promise<Tensor<D> | Tensor<D>[]>;
  rmatvec(v: Operand<D>): Promise<Tensor<D> | Tensor<D>[]> {
    return this.adjoint().multiply(v, "vector", `${this.constructor.name}.rmatvec: v`);
  }

  /** `Aᵀ M` for `M` of shape `[rows, K]`, or a list shaped `[...outputShapes[i], K]`. */
  rmatmat(m: Tensor<D>): Promise<Tensor<D>>;
  rmatmat(m: readonly Tensor<D>[]): Promise<Tensor<D>[]>;
  rmatmat(m: Operand<D>): Promise<Tensor<D> | Tensor<D>[]>;
  rmatmat(m: Operand<D>): Promise<Tensor<D> | Tensor<D>[]> {
    return this.adjoint().multiply(m, "matrix", `${this.constructor.name}.rmatmat: M`);
  }

  /** Reads the operand (`who` names it in errors), runs `matmatImpl`, checks and formats the result. */
  private async multiply(x: Operand<D>, kind: OperandKind, who: string): Promise<Tensor<D> | Tensor<D>[]> {
    const { matrix, layout } = readOperand(x, this.inputShapes, this.dtype, kind, who);
    let y = await this.matmatImpl(matrix);
    // Results never share storage with the operand, so callers (and the
    // composites below) may update them in place; an identity-like
    // matmatImpl may simply return its input.
    if (y.data === matrix.data) y = y.clone();
    const expected = [this.shape[0], layout.columns];
    if (y.dtype !== this.dtype || !shapesEqual(y.shape, expected)) {
      // A broken subclass, not bad user input: say which class and what it returned.
      throw new ShapeError(
        `${this.constructor.name}.matmatImpl returned ${y.dtype} ${formatShape(y.shape)}, expected ${this.dtype} ${formatShape(expected)}`,
      );
    }
    return writeResult(y, this.outputShapes, layout);
  }

  /**
   * `out += A x` for `x` already read as a `[cols, K]` operand and `out` of
   * shape `[rows, K]` (internal: how a sum adds its terms). Here: `matmat`,
   * then the sum; building blocks override it to skip the product tensor,
   * with the same rounding (one product, one sum, each in the dtype).
   */
  async [addProductTo](x: Tensor<D>, out: Tensor<D>): Promise<void> {
    const y = await this.matmat(x);
    for (let i = 0; i < out.data.length; i++) out.data[i] += y.data[i];
  }

  /** `A + B` (same shape and dtype); the blocks of the result are this operator's. */
  add(other: LinearOperator<D>): LinearOperator<D> {
    return new SumLinearOperator([this, other]);
  }

  /** `A - B`. */
  sub(other: LinearOperator<D>): LinearOperator<D> {
    return this.add(other.neg());
  }

  /** `s A` for a finite number `s`. */
  scale(scalar: number): LinearOperator<D> {
    return new ScaledLinearOperator(this, scalar);
  }

  /** `-A`. */
  neg(): LinearOperator<D> {
    return this.scale(-1);
  }

  /** The product `A B` (this operator applied after `other`); needs `A.cols = B.rows`. */
  compose(other: LinearOperator<D>): LinearOperator<D> {
    return new ProductLinearOperator([this, other]);
  }

  /** The dense `[rows, cols]` matrix, from batched products with chunks of identity columns. */
  toDense(options?: ToDenseOptions): Promise<Tensor<D>> {
    return denseMatrixOf(this, options);
  }

  /** `tr A` of a square operator. Here: from the dense matrix; building blocks override it with a closed form. */
  trace(options?: ToDenseOptions): Promise<number> {
    return denseTrace(this, options);
  }

  /** `det A` of a square operator. Here: LU of the dense matrix. */
  det(options?: ToDenseOptions): Promise<number> {
    return denseDet(this, options);
  }

  /** Sign and `log |det A|` (NumPy's `slogdet`). Here: LU of the dense matrix. */
  slogdet(options?: ToDenseOptions): Promise<SignAndLogDeterminant> {
    return denseSlogdet(this, options);
  }

  /** `log det A`: `-Infinity` if singular, NaN if the determinant is negative (as `torch.logdet`, which curvlinops uses). */
  async logdet(options?: ToDenseOptions): Promise<number> {
    return logdetFromSlogdet(await this.slogdet(options));
  }

  /** `‖A‖_F`. Here: from the dense matrix. */
  frobeniusNorm(options?: ToDenseOptions): Promise<number> {
    return denseFrobeniusNorm(this, options);
  }
}

function assertSameDType(a: LinearOperator, b: LinearOperator, what: string): void {
  if (a.dtype !== b.dtype) throw new DTypeError(`${what}: operands must share a dtype, got ${a.dtype} and ${b.dtype}`);
}

/**
 * `A₁ + A₂ + ...` of operators with one shape and dtype (curvlinops'
 * `_SumPyTorchLinearOperator`). Nested sums are flattened. Shapes are compared
 * as `[rows, cols]`, not block by block: the result takes the first term's blocks.
 */
export class SumLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> {
  /** The terms, nested sums flattened. */
  readonly terms: readonly LinearOperator<D>[];

  constructor(terms: readonly LinearOperator<D>[]) {
    if (terms.length === 0) throw new ValueError("SumLinearOperator: expected at least one term");
    const [first] = terms;
    terms.forEach((t, i) => {
      assertSameDType(first, t, `SumLinearOperator: term ${i}`);
      if (!shapesEqual(first.shape, t.shape)) {
        throw new ShapeError(`SumLinearOperator: term ${i} has shape ${formatShape(t.shape)}, term 0 has ${formatShape(first.shape)}`);
      }
    });
    super({ dtype: first.dtype, inputShapes: first.inputShapes, outputShapes: first.outputShapes });
    this.terms = Object.freeze(terms.flatMap((t) => (t instanceof SumLinearOperator ? t.terms : [t])));
  }

  protected async matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    const out = await this.terms[0].matmat(x);
    for (let t = 1; t < this.terms.length; t++) await this.terms[t][addProductTo](x, out);
    return out;
  }

  adjoint(): LinearOperator<D> {
    return this.isSelfAdjoint ? this : new SumLinearOperator(this.terms.map((t) => t.adjoint()));
  }

  override get isSelfAdjoint(): boolean {
    return this.terms.every((t) => t.isSelfAdjoint);
  }

  /** `Σ tr Aᵢ`: exact when every term's trace is. */
  override async trace(options?: ToDenseOptions): Promise<number> {
    let sum = 0;
    for (const term of this.terms) sum += await term.trace(options);
    return sum;
  }
}

/** `s A` for a finite scalar `s` (curvlinops' `_ScalePyTorchLinearOperator`). Nested scalings are multiplied out. */
export class ScaledLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> {
  readonly operator: LinearOperator<D>;
  readonly scalar: number;

  constructor(operator: LinearOperator<D>, scalar: number) {
    if (typeof scalar !== "number" || !Number.isFinite(scalar)) {
      throw new ValueError(`ScaledLinearOperator: scalar must be a finite number, got ${String(scalar)}`);
    }
    super({ dtype: operator.dtype, inputShapes: operator.inputShapes, outputShapes: operator.outputShapes });
    const nested = operator instanceof ScaledLinearOperator;
    this.operator = nested ? operator.operator : operator;
    this.scalar = nested ? operator.scalar * scalar : scalar;
  }

  protected async matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    const y = await this.operator.matmat(x);
    for (let i = 0; i < y.data.length; i++) y.data[i] *= this.scalar;
    return y;
  }

  adjoint(): LinearOperator<D> {
    return this.isSelfAdjoint ? this : new ScaledLinearOperator(this.operator.adjoint(), this.scalar);
  }

  override get isSelfAdjoint(): boolean {
    return this.operator.isSelfAdjoint;
  }

  /** `s tr A`. */
  override async trace(options?: ToDenseOptions): Promise<number> {
    return this.scalar * (await this.operator.trace(options));
  }

  /** `sⁿ det A`. */
  override async det(options?: ToDenseOptions): Promise<number> {
    return this.scalar ** this.shape[0] * (await this.operator.det(options));
  }

  /** `det(sA) = sⁿ det A`, kept in logarithms. */
  override async slogdet(options?: ToDenseOptions): Promise<SignAndLogDeterminant> {
    const n = this.shape[0];
    const inner = await this.operator.slogdet(options);
    if (this.scalar === 0 && n > 0) return { sign: 0, logAbsDet: -Infinity };
    const sign = this.scalar < 0 && n % 2 === 1 ? -inner.sign : inner.sign;
    return { sign, logAbsDet: n * Math.log(Math.abs(this.scalar)) + inner.logAbsDet };
  }

  /** `|s| ‖A‖_F`. */
  override async frobeniusNorm(options?: ToDenseOptions): Promise<number> {
    return Math.abs(this.scalar) * (await this.operator.frobeniusNorm(options));
  }
}

/**
 * `A₁ A₂ ⋯ A_k`, applied right to left (curvlinops' `_ChainPyTorchLinearOperator`).
 * Consecutive factors need `Aᵢ.cols = Aᵢ₊₁.rows`; nested products are flattened.
 */
export class ProductLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> {
  /** The factors, left to right. */
  readonly factors: readonly LinearOperator<D>[];

  constructor(factors: readonly LinearOperator<D>[]) {
    if (factors.length === 0) throw new ValueError("ProductLinearOperator: expected at least one factor");
    for (let i = 0; i + 1 < factors.length; i++) {
      const [left, right] = [factors[i], factors[i + 1]];
      assertSameDType(left, right, `ProductLinearOperator: factors ${i} and ${i + 1}`);
      if (left.shape[1] !== right.shape[0]) {
        throw new ShapeError(
          `ProductLinearOperator: factor ${i} has shape ${formatShape(left.shape)} but factor ${i + 1} has shape ${formatShape(right.shape)}; ` +
            `expected ${left.shape[1]} rows in factor ${i + 1}`,
        );
      }
    }
    const [first, last] = [factors[0], factors[factors.length - 1]];
    super({ dtype: first.dtype, inputShapes: last.inputShapes, outputShapes: first.outputShapes });
    this.factors = Object.freeze(factors.flatMap((f) => (f instanceof ProductLinearOperator ? f.factors : [f])));
  }

  protected async matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    let y = x;
    for (let i = this.factors.length - 1; i >= 0; i--) y = await this.factors[i].matmat(y);
    return y;
  }

  adjoint(): LinearOperator<D> {
    return new ProductLinearOperator([...this.factors].reverse().map((f) => f.adjoint()));
  }

  override get isSelfAdjoint(): boolean {
    return this.factors.length === 1 && this.factors[0].isSelfAdjoint;
  }

  /** `Π det Aᵢ` when every factor is square (else from the dense product). */
  override async slogdet(options?: ToDenseOptions): Promise<SignAndLogDeterminant> {
    if (!this.factors.every((f) => f.shape[0] === f.shape[1])) return super.slogdet(options);
    let sign = 1;
    let logAbsDet = 0;
    for (const factor of this.factors) {
      const s = await factor.slogdet(options);
      sign *= s.sign;
      logAbsDet += s.logAbsDet;
    }
    return sign === 0 ? { sign: 0, logAbsDet: -Infinity } : { sign, logAbsDet };
  }

  /** `Π det Aᵢ` when every factor is square (else from the dense product). */
  override async det(options?: ToDenseOptions): Promise<number> {
    if (!this.factors.every((f) => f.shape[0] === f.shape[1])) return super.det(options);
    let product = 1;
    for (const factor of this.factors) product *= await factor.det(options);
    return product;
  }
}
