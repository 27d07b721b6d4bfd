import { DTypeError, formatShape, matmul, ShapeError, stack, Tensor, ValueError, type FloatDType } from "@curv/tensor";
import { addToDiagonalInPlace, matrixTrace } from "./matrix-arithmetic.js";
import { floatData, placeBlock, rowBlock, stackRows, subMatrix } from "./matrix-blocks.js";
import { timesTranspose, transposeTimes } from "./products.js";
import {
  assertDimension, assertFiniteScalar, assertFloatDType, assertFloatTensor, assertMatrix, assertOperand, assertSquareMatrix,
} from "./operand-checks.js";
import type { Structure } from "./structure.js";
import { StructuredMatrix, type NamedTensor } from "./structured-matrix.js";

/** Where block `index` of a block-diagonal partition starts and how large it is. */
interface BlockRange {
  start: number;
  size: number;
}

/** ⌊n/D⌋ full blocks of size D, then one remainder block of size n mod D (possibly 0) at the bottom right. */
function blockRanges(dim: number, blockDim: number): BlockRange[] {
  const full = Math.floor(dim / blockDim);
  const ranges = Array.from({ length: full }, (_, i) => ({ start: i * blockDim, size: blockDim }));
  ranges.push({ start: full * blockDim, size: dim - full * blockDim });
  return ranges;
}

/**
 * A block-diagonal matrix with square blocks of size `D` (SINGD's
 * `BlockDiagonalMatrixTemplate` with `BLOCK_DIM = D`). An `n × n` matrix has
 * `⌊n/D⌋` full blocks, stored as `blocks` `[⌊n/D⌋, D, D]`, and a remainder
 * block `last` `[n mod D, n mod D]` at the bottom right; for `n < D`, `last`
 * holds the whole matrix.
 *
 * Every operation works block by block (O(n·D²) for products with the
 * structure, O(n·D·m) with a dense `[n, m]` matrix).
 *
 * Differences from SINGD, which skips the transposes: `rmatmat(X)` is
 * `Kᵀ X` (SINGD: `K X`), `fromInner()` has blocks `BᵢᵀBᵢ` (SINGD: `BᵢBᵢᵀ`) and
 * `fromInner(X)` is Π(Kᵀ X Xᵀ K) (SINGD: Π(K X Xᵀ Kᵀ)). The two agree while
 * the blocks are symmetric, which SINGD's own pre-conditioner `K` stops being
 * after its second update. `fromInner2` is closed-form here
 * (blocks `Bᵢᵀ XXTᵢᵢ Bᵢ`), where SINGD goes through a dense product.
 *
 * @example
 * ```ts
 * const s = new Generator(0).uniform([7, 7], { dtype: "float64" });
 * const k = Block3DiagonalMatrix.fromDense(s);
 * k.blocks.shape; // [2, 3, 3]
 * k.last.shape;   // [1, 1]
 * ```
 */
export class BlockDiagonalMatrix<D extends FloatDType = FloatDType> extends StructuredMatrix<D> {
  /** The full blocks `[⌊n/D⌋, D, D]` (SINGD's `_blocks`), owned by this object. */
  readonly blocks: Tensor<D>;
  /** The remainder block `[n mod D, n mod D]` (SINGD's `_last`), owned by this object. */
  readonly last: Tensor<D>;

  /** Wraps `blocks` `[N, D, D]` and `last` `[D', D']` with `D' < D`, without copying. */
  constructor(blocks: Tensor<D>, last: Tensor<D>) {
    assertFloatTensor(blocks, "BlockDiagonalMatrix: blocks");
    if (blocks.ndim !== 3 || blocks.shape[1] !== blocks.shape[2] || blocks.shape[1] < 1) {
      throw new ShapeError(`BlockDiagonalMatrix: blocks must have shape [N, D, D] with D ≥ 1, got ${formatShape(blocks.shape)}`);
    }
    assertSquareMatrix(last, "BlockDiagonalMatrix: last");
    if (last.dtype !== blocks.dtype) throw new DTypeError(`BlockDiagonalMatrix: last is ${last.dtype}, blocks are ${blocks.dtype}`);
    if (last.shape[0] >= blocks.shape[1]) {
      throw new ShapeError(`BlockDiagonalMatrix: last must be smaller than the block size ${blocks.shape[1]}, got ${formatShape(last.shape)}`);
    }
    super(blocks.dtype, blocks.shape[0] * blocks.shape[1] + last.shape[0]);
    this.blocks = blocks;
    this.last = last;
  }

  /** Packs a list of `⌊n/D⌋` blocks of size D and one remainder block. */
  static fromBlockList<D extends FloatDType>(blockDim: number, list: readonly Tensor<D>[], dtype: D): BlockDiagonalMatrix<D> {
    const full = list.slice(0, -1);
    const blocks = full.length > 0 ? stack(full, 0) : new Tensor(dtype, [0, blockDim, blockDim]);
    return new BlockDiagonalMatrix(blocks, list[list.length - 1]);
  }

  /** The block size `D`. */
  get blockDim(): number {
    return this.blocks.shape[1];
  }

  get structure(): Structure {
    return new BlockDiagonalStructure(this.blockDim);
  }

  namedTensors(): readonly NamedTensor<D>[] {
    return [["blocks", this.blocks], ["last", this.last]];
  }

  /** Copies of the blocks in order, the remainder block last. */
  blockList(): Tensor<D>[] {
    const size = this.blockDim;
    const full = Array.from({ length: this.blocks.shape[0] }, (_, i) => rowBlock(this.blocks, i, i + 1).reshape([size, size]));
    return [...full, this.last.clone()];
  }

  toDense(): Tensor<D> {
    const out = new Tensor(this.dtype, [this.dim, this.dim]);
    const ranges = this.ranges();
    this.blockList().forEach((block, i) => placeBlock(out, ranges[i].start, ranges[i].start, block));
    return out;
  }

  matmat(x: Tensor<D>): Tensor<D> {
    assertOperand(x, this.dim, this.dtype, "BlockDiagonalMatrix.matmat: X");
    return this.applyBlockwise(x, (block, rows) => matmul(block, rows));
  }

  /** `Kᵀ X`, block by block (SINGD returns `K X` here). */
  rmatmat(x: Tensor<D>): Tensor<D> {
    assertOperand(x, this.dim, this.dtype, "BlockDiagonalMatrix.rmatmat: X");
    return this.applyBlockwise(x, (block, rows) => transposeTimes(block, rows));
  }

  matmul(other: this): this {
    this.assertSameStructure(other, "BlockDiagonalMatrix.matmul");
    const theirs = other.blockList();
    return this.mapBlocks((block, i) => matmul(block, theirs[i]));
  }

  clone(): this {
    return new BlockDiagonalMatrix(this.blocks.clone(), this.last.clone()) as this;
  }

  trace(): number {
    return this.blockList().reduce((sum, block) => sum + matrixTrace(block), 0);
  }

  diagAddInPlace(value: number): this {
    assertFiniteScalar(value, "BlockDiagonalMatrix.diagAddInPlace: value");
    const [count, size] = this.blocks.shape;
    const values = floatData(this.blocks);
    for (let b = 0; b < count; b++) for (let i = 0; i < size; i++) values[b * size * size + i * size + i] += value;
    addToDiagonalInPlace(this.last, value);
    return this;
  }

  /** Π(Kᵀ XXT K): blocks `Bᵢᵀ XXTᵢᵢ Bᵢ`, in O(n·D²); only the diagonal blocks of XXT matter. */
  override fromInner2(xxt: Tensor<D>): this {
    assertSquareMatrix(xxt, "BlockDiagonalMatrix.fromInner2: XXT");
    assertOperand(xxt, this.dim, this.dtype, "BlockDiagonalMatrix.fromInner2: XXT");
    const ranges = this.ranges();
    return this.mapBlocks((block, i) => {
      const { start, size } = ranges[i];
      const middle = subMatrix(xxt, start, start + size, start, start + size);
      return transposeTimes(block, matmul(middle, block));
    });
  }

  /** Π(KᵀK): blocks `BᵢᵀBᵢ` (SINGD: `BᵢBᵢᵀ`). */
  protected projectedGram(): this {
    return this.mapBlocks((block) => transposeTimes(block, block));
  }

  private ranges(): BlockRange[] {
    return blockRanges(this.dim, this.blockDim);
  }

  private mapBlocks(f: (block: Tensor<D>, index: number) => Tensor<D>): this {
    return BlockDiagonalMatrix.fromBlockList(this.blockDim, this.blockList().map(f), this.dtype) as this;
  }

  /** Stacks `product(Bᵢ, Xᵢ)` over the blocks, `Xᵢ` being the rows of `X` that block `i` covers. */
  private applyBlockwise(x: Tensor<D>, product: (block: Tensor<D>, rows: Tensor<D>) => Tensor<D>): Tensor<D> {
    const ranges = this.ranges();
    return stackRows(this.blockList().map((block, i) => product(block, rowBlock(x, ranges[i].start, ranges[i].start + ranges[i].size))));
  }
}

/**
 * The family of block-diagonal matrices with block size `blockDim` (SINGD's
 * `BlockDiagonalMatrixTemplate` subclasses, e.g. `Block30DiagonalMatrix`).
 *
 * @example
 * ```ts
 * const structure = new BlockDiagonalStructure(4);
 * structure.structureName;              // "block4diagonal"
 * structure.eye(6).toDense().toNested(); // the 6 × 6 identity
 * ```
 */
export class BlockDiagonalStructure implements Structure {
  readonly blockDim: number;

  constructor(blockDim: number) {
    if (!Number.isInteger(blockDim) || blockDim < 1) {
      throw new ValueError(`BlockDiagonalStructure: blockDim must be a positive integer, got ${blockDim}`);
    }
    this.blockDim = blockDim;
  }

  get structureName(): string {
    return `block${this.blockDim}diagonal`;
  }

  /** Π(S): the diagonal blocks of S; everything off them is dropped. */
  fromDense<D extends FloatDType>(dense: Tensor<D>): BlockDiagonalMatrix<D> {
    assertSquareMatrix(dense, `${this.structureName}.fromDense: dense`);
    return this.fromRanges(dense.shape[0], dense.dtype, ({ start, size }) => subMatrix(dense, start, start + size, start, start + size));
  }

  /** Π(X Xᵀ): blocks `Xᵢ Xᵢᵀ`, `Xᵢ` being the rows of X that block `i` covers. */
  fromMatInner<D extends FloatDType>(x: Tensor<D>): BlockDiagonalMatrix<D> {
    assertMatrix(x, `${this.structureName}.fromMatInner: X`);
    return this.fromRanges(x.shape[0], x.dtype, ({ start, size }) => {
      const rows = rowBlock(x, start, start + size);
      return timesTranspose(rows, rows);
    });
  }

  zeros<D extends FloatDType = "float64">(dim: number, dtype: D = "float64" as D): BlockDiagonalMatrix<D> {
    assertDimension(dim, `${this.structureName}.zeros: dim`);
    assertFloatDType(dtype, `${this.structureName}.zeros: dtype`);
    return this.fromRanges(dim, dtype, ({ size }) => new Tensor(dtype, [size, size]));
  }

  eye<D extends FloatDType = "float64">(dim: number, dtype: D = "float64" as D): BlockDiagonalMatrix<D> {
    return this.zeros(dim, dtype).diagAddInPlace(1);
  }

  private fromRanges<D extends FloatDType>(dim: number, dtype: D, block: (range: BlockRange) => Tensor<D>): BlockDiagonalMatrix<D> {
    return BlockDiagonalMatrix.fromBlockList(this.blockDim, blockRanges(dim, this.blockDim).map(block), dtype);
  }
}

/** Blocks of size 30, SINGD's `"block30diagonal"` (`Block30DiagonalMatrix`). */
export const Block30DiagonalMatrix = new BlockDiagonalStructure(30);

/** Blocks of size 3 (SINGD's `Block3DiagonalMatrix`, used in its tests). */
export const Block3DiagonalMatrix = new BlockDiagonalStructure(3);
