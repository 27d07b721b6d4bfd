import {
  DTypeError, ShapeError, Tensor, ValueError, formatShape,
  type FloatDType, type SignAndLogDeterminant,
} from "@curv/tensor";
import { checkDamping, isInvertible, type InvertibleLinearOperator } from "./damped-inverse.js";
import { LinearOperator } from "./linear-operator.js";
import type { ToDenseOptions } from "./to-dense.js";

function checkBlocks(blocks: readonly LinearOperator[]): void {
  const who = "BlockDiagonalLinearOperator";
  if (blocks.length === 0) throw new ValueError(`${who}: expected at least one block`);
  blocks.forEach((b, i) => {
    if (!(b instanceof LinearOperator)) throw new ValueError(`${who}: block ${i} must be a LinearOperator`);
    if (b.dtype !== blocks[0].dtype) throw new DTypeError(`${who}: block ${i} is ${b.dtype} but block 0 is ${blocks[0].dtype}`);
  });
}

/**
 * `diag(B₁, …, B_k)` of operators of any kind and shape (curvlinops'
 * `BlockDiagonalLinearOperator`): KFAC is block-diagonal over layers. The
 * input blocks are the blocks' input blocks in order, likewise the outputs.
 *
 * Exact when the blocks are: `trace = Σ tr Bᵢ`, `det = Π det Bᵢ`,
 * `logdet = Σ logdet Bᵢ` (square blocks), `‖·‖_F = sqrt(Σ ‖Bᵢ‖_F²)` (any
 * blocks), each computed by the block (its closed form, or its dense fallback
 * at the block's size). `inverse(damping)` inverts block by block and needs
 * every block to have an `inverse`.
 *
 * @example
 * ```ts
 * const f64 = (x: number[][]) => tensor(x, { dtype: "float64" });
 * const k = new BlockDiagonalLinearOperator([
 *   new KroneckerProductLinearOperator(f64([[2, 1], [1, 2]]), f64([[1, 0], [0, 4]])),  // det 3² · 4²
 *   new DiagonalLinearOperator(tensor([5], { dtype: "float64" })),
 * ]);
 * k.inputShapes;                     // [[4], [1]]
 * await k.logdet();                  // log(144) + log(5)
 * const preconditioner = k.inverse(1e-3);
 * ```
 */
export class BlockDiagonalLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> implements InvertibleLinearOperator<D> {
  /** The diagonal blocks, top-left to bottom-right. */
  readonly blocks: readonly LinearOperator<D>[];

  constructor(blocks: readonly LinearOperator<D>[]) {
    checkBlocks(blocks);
    super({
      dtype: blocks[0].dtype,
      inputShapes: blocks.flatMap((b) => b.inputShapes),
      outputShapes: blocks.flatMap((b) => b.outputShapes),
    });
    this.blocks = Object.freeze([...blocks]);
  }

  protected async matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    const k = x.shape[1];
    const out = new Tensor(this.dtype, [this.shape[0], k]);
    let [inRow, outRow] = [0, 0];
    for (const block of this.blocks) {
      const [rows, cols] = block.shape;
      const slice = new Tensor(this.dtype, [cols, k], x.data.slice(inRow * k, (inRow + cols) * k) as Tensor<D>["data"]);
      out.data.set((await block.matmat(slice)).data, outRow * k);
      inRow += cols;
      outRow += rows;
    }
    return out;
  }

  adjoint(): LinearOperator<D> {
    return this.isSelfAdjoint ? this : new BlockDiagonalLinearOperator(this.blocks.map((b) => b.adjoint()));
  }

  override get isSelfAdjoint(): boolean {
    return this.blocks.every((b) => b.isSelfAdjoint);
  }

  /** The blocks' own dense matrices on the diagonal (each block materialized at its own size). */
  override async toDense(options?: ToDenseOptions): Promise<Tensor<D>> {
    const [rows, cols] = this.shape;
    const dense = new Tensor(this.dtype, [rows, cols]);
    let [row0, col0] = [0, 0];
    for (const block of this.blocks) {
      const [r, c] = block.shape;
      const part = await block.toDense(options);
      for (let i = 0; i < r; i++) dense.data.set(part.data.subarray(i * c, (i + 1) * c), (row0 + i) * cols + col0);
      row0 += r;
      col0 += c;
    }
    return dense;
  }

  #assertSquareBlocks(method: string): void {
    this.blocks.forEach((b, i) => {
      if (b.shape[0] !== b.shape[1]) {
        throw new ShapeError(`${this.constructor.name}.${method}: needs square blocks, block ${i} has shape ${formatShape(b.shape)}`);
      }
    });
  }

  override async trace(options?: ToDenseOptions): Promise<number> {
    this.#assertSquareBlocks("trace");
    let sum = 0;
    for (const block of this.blocks) sum += await block.trace(options);
    return sum;
  }

  override async det(options?: ToDenseOptions): Promise<number> {
    this.#assertSquareBlocks("det");
    let product = 1;
    for (const block of this.blocks) product *= await block.det(options);
    return product;
  }

  override async slogdet(options?: ToDenseOptions): Promise<SignAndLogDeterminant> {
    this.#assertSquareBlocks("slogdet");
    let sign = 1;
    let logAbsDet = 0;
    for (const block of this.blocks) {
      const s = await block.slogdet(options);
      if (s.sign === 0) return { sign: 0, logAbsDet: -Infinity };
      sign *= s.sign;
      logAbsDet += s.logAbsDet;
    }
    return { sign, logAbsDet };
  }

  override async frobeniusNorm(options?: ToDenseOptions): Promise<number> {
    const norms: number[] = [];
    for (const block of this.blocks) norms.push(await block.frobeniusNorm(options));
    return Math.hypot(...norms);
  }

  /** `diag((B₁ + damping·I)⁻¹, …)`; a `ValueError` names the first block without an `inverse`. */
  inverse(damping = 0): BlockDiagonalLinearOperator<D> {
    checkDamping(damping, this.constructor.name);
    this.#assertSquareBlocks("inverse");
    return new BlockDiagonalLinearOperator(
      this.blocks.map((block, i) => {
        if (!isInvertible(block)) {
          throw new ValueError(`${this.constructor.name}.inverse: block ${i} (${block.constructor.name}) has no exact inverse`);
        }
        return block.inverse(damping);
      }),
    );
  }
}
