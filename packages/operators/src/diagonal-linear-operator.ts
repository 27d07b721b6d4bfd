import {
  DTypeError, LinAlgError, Tensor, ValueError, concat, isFloat,
  type FloatDType, type SignAndLogDeterminant,
} from "@curv/tensor";
import { checkDamping, type InvertibleLinearOperator } from "./damped-inverse.js";
import { frobeniusNormOfValues } from "./dense-fallbacks.js";
import { LinearOperator, addProductTo } from "./linear-operator.js";
import { shapeListsEqual } from "./operand-format.js";

function readDiagonal<D extends FloatDType>(diagonal: Tensor<D> | readonly Tensor<D>[]): Tensor<D>[] {
  const blocks = diagonal instanceof Tensor ? [diagonal] : [...diagonal];
  if (blocks.length === 0) throw new ValueError("DiagonalLinearOperator: expected at least one diagonal block");
  blocks.forEach((d, i) => {
    if (!(d instanceof Tensor)) throw new ValueError(`DiagonalLinearOperator: diagonal[${i}] must be a Tensor`);
    if (!isFloat(d.dtype)) throw new DTypeError(`DiagonalLinearOperator: diagonal[${i}] must be float32 or float64, got ${d.dtype}`);
    if (d.dtype !== blocks[0].dtype) {
      throw new DTypeError(`DiagonalLinearOperator: diagonal[${i}] is ${d.dtype} but diagonal[0] is ${blocks[0].dtype}`);
    }
  });
  return blocks;
}

/**
 * A diagonal matrix, its diagonal given in list format: one tensor per block,
 * each tensor's shape being that block's input and output shape (curvlinops'
 * `DiagonalLinearOperator`). A single tensor is one block.
 *
 * Exact: `trace`, `det`, `slogdet`, `frobeniusNorm` in O(n), and
 * `inverse(damping)` = `diag(1 / (d + damping))`. Sums, scalings and products
 * of two diagonal operators with the same blocks stay diagonal.
 *
 * @example
 * ```ts
 * const d = new DiagonalLinearOperator([tensor([[1, 2], [3, 4]], { dtype: "float64" }), tensor([5], { dtype: "float64" })]);
 * d.shape;                                         // [5, 5]
 * await d.matvec(d.diagonal);                      // [[[1, 4], [9, 16]], [25]]: list format in and out
 * await d.inverse(1).trace();                      // 1/2 + 1/3 + 1/4 + 1/5 + 1/6
 * ```
 */
export class DiagonalLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> implements InvertibleLinearOperator<D> {
  /** The diagonal, flattened: entry `i` scales row `i`. */
  readonly values: Tensor<D>;
  readonly #blocks: readonly Tensor<D>[];

  constructor(diagonal: Tensor<D> | readonly Tensor<D>[]) {
    const blocks = readDiagonal(diagonal);
    const shapes = blocks.map((d) => d.shape);
    super({ dtype: blocks[0].dtype, inputShapes: shapes, outputShapes: shapes });
    this.#blocks = Object.freeze(blocks);
    this.values = blocks.length === 1 ? blocks[0].reshape([blocks[0].size]) : concat(blocks.map((d) => d.reshape([d.size])));
  }

  /** The diagonal in list format, as given. */
  get diagonal(): readonly Tensor<D>[] {
    return this.#blocks;
  }

  protected async matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    const [n, k] = x.shape;
    const out = new Tensor(this.dtype, [n, k]);
    const d = this.values.data;
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out.data[i * k + j] = d[i] * x.data[i * k + j];
    return out;
  }

  /**
   * `out += diag(d) x` in one pass, without the product tensor; the product
   * is rounded to the dtype before the sum, exactly as `matmat` then adding.
   */
  override async [addProductTo](x: Tensor<D>, out: Tensor<D>): Promise<void> {
    const [n, k] = x.shape;
    const d = this.values.data;
    const xs = x.data;
    const ys = out.data;
    if (this.dtype === "float64") {
      for (let i = 0; i < n; i++) for (let j = 0, at = i * k; j < k; j++, at++) ys[at] += d[i] * xs[at];
    } else {
      for (let i = 0; i < n; i++) for (let j = 0, at = i * k; j < k; j++, at++) ys[at] += Math.fround(d[i] * xs[at]);
    }
  }

  adjoint(): LinearOperator<D> {
    return this;
  }

  /** `diag(d)`, written directly. */
  override async toDense(): Promise<Tensor<D>> {
    const n = this.shape[0];
    const dense = new Tensor(this.dtype, [n, n]);
    for (let i = 0; i < n; i++) dense.data[i * n + i] = this.values.data[i];
    return dense;
  }

  override get isSelfAdjoint(): boolean {
    return true;
  }

  /** A diagonal operator with the same blocks whose entries are `f(d_i)`. */
  protected mapDiagonal(f: (value: number, index: number) => number): DiagonalLinearOperator<D> {
    let index = 0;
    return new DiagonalLinearOperator(
      this.#blocks.map((block) => {
        const mapped = new Tensor(block.dtype, block.shape);
        for (let i = 0; i < block.size; i++, index++) mapped.data[i] = f(this.values.data[index], index);
        return mapped;
      }),
    );
  }

  #sameBlocks(other: LinearOperator<D>): other is DiagonalLinearOperator<D> {
    return other instanceof DiagonalLinearOperator && shapeListsEqual(other.inputShapes, this.inputShapes) && other.dtype === this.dtype;
  }

  /** Diagonal when `other` is diagonal with the same blocks; a generic sum otherwise. */
  override add(other: LinearOperator<D>): LinearOperator<D> {
    if (!this.#sameBlocks(other)) return super.add(other);
    return this.mapDiagonal((d, i) => d + other.values.data[i]);
  }

  /** Diagonal: every entry times `scalar`. */
  override scale(scalar: number): LinearOperator<D> {
    if (typeof scalar !== "number" || !Number.isFinite(scalar)) return super.scale(scalar); // throws the generic ValueError
    return this.mapDiagonal((d) => d * scalar);
  }

  /** Diagonal when `other` is diagonal with the same blocks; a generic product otherwise. */
  override compose(other: LinearOperator<D>): LinearOperator<D> {
    if (!this.#sameBlocks(other)) return super.compose(other);
    return this.mapDiagonal((d, i) => d * other.values.data[i]);
  }

  /** `Σ d_i`. */
  override async trace(): Promise<number> {
    let sum = 0;
    for (const d of this.values.data) sum += d;
    return sum;
  }

  /** `Π d_i`. */
  override async det(): Promise<number> {
    let product = 1;
    for (const d of this.values.data) product *= d;
    return product;
  }

  /** Signs and `Σ log |d_i|`. */
  override async slogdet(): Promise<SignAndLogDeterminant> {
    let sign = 1;
    let logAbsDet = 0;
    for (const d of this.values.data) {
      if (d === 0) return { sign: 0, logAbsDet: -Infinity };
      if (d < 0) sign = -sign;
      logAbsDet += Math.log(Math.abs(d));
    }
    return { sign, logAbsDet };
  }

  /** `sqrt(Σ d_i²)`. */
  override async frobeniusNorm(): Promise<number> {
    return frobeniusNormOfValues(this.values.data);
  }

  /** `diag(1 / (d_i + damping))`; a `LinAlgError` names the first entry where `d_i + damping = 0`. */
  inverse(damping = 0): DiagonalLinearOperator<D> {
    checkDamping(damping, this.constructor.name);
    return this.mapDiagonal((d, i) => {
      if (d + damping === 0) {
        throw new LinAlgError(`${this.constructor.name}.inverse: d[${i}] + damping = ${d} + ${damping} is zero; the damped matrix is singular`);
      }
      return 1 / (d + damping);
    });
  }
}
