/** NNGeometry's `PMatBlockDiag`: one dense block per layer. */
import { gemm, luSolve, luFactor, Tensor, ValueError, inv, type FloatDType } from "@curv/tensor";
import type { LayerCollection } from "../layers/layer-collection.js";
import { visitSquareRootRows, type FisherSource } from "../helpers/fisher-source.js";
import { frobenius, matrix, matvec, mm, plusIdentity, symmetricFunction, symmetricSingularRange, symmetrize, traceOf, type Matrix } from "../linalg/matrix.js";
import { assertDenseFits } from "./dense-size.js";
import { checkRegul, PMatAbstract, unknownSolve, type MatrixNorm, type SolveMethod } from "./pmat-abstract.js";
import { powerOf } from "./pmat-dense.js";

/**
 * A block-diagonal matrix with one dense `numel × numel` block per layer
 * (`[weight, bias]` order), `(1/n) Σ g_l g_lᵀ`; corresponds to NNGeometry's
 * `PMatBlockDiag`. `solve` is `"default"`/`"solve"` or any function
 * `(A, B) => A⁻¹B` on float64 matrices (NNGeometry's callable).
 *
 * @example
 * ```ts
 * const F = await FIM({ model, loader, representation: PMatBlockDiag });
 * F.getBlock("0").shape;   // [35, 35]
 * ```
 */
export class PMatBlockDiag<D extends FloatDType = FloatDType> extends PMatAbstract<D> {
  readonly #blocks: ReadonlyMap<string, Matrix>;

  constructor(layerCollection: LayerCollection, blocks: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>, dtype: D) {
    super(layerCollection, dtype);
    const get = (id: string) => (blocks instanceof Map ? blocks.get(id) : (blocks as Record<string, Tensor>)[id]);
    const stored = new Map<string, Matrix>();
    for (const layer of layerCollection.layers) {
      const block = get(layer.id);
      if (block === undefined || block.ndim !== 2 || block.shape[0] !== layer.numel || block.shape[1] !== layer.numel) {
        throw new ValueError(`PMatBlockDiag: layer "${layer.id}" needs a [${layer.numel}, ${layer.numel}] block, got ${block === undefined ? "none" : `[${block.shape.join(", ")}]`}`);
      }
      stored.set(layer.id, block.astype("float64"));
    }
    this.#blocks = stored;
  }

  /** Each layer's `Σ r_l r_lᵀ` from the per-example square-root rows. */
  static async build<D extends FloatDType>(source: FisherSource): Promise<PMatBlockDiag<D>> {
    const lc = source.layerCollection;
    for (const layer of lc.layers) assertDenseFits("PMatBlockDiag", layer.numel, source.maxDenseBytes, `block of layer "${layer.id}"`);
    const sums = new Map(lc.layers.map((layer) => [layer.id, matrix(layer.numel, layer.numel)]));
    const p = lc.numel();
    await visitSquareRootRows(source, (rows, examples, outputs) => {
      const count = examples * outputs;
      for (const layer of lc.layers) {
        const start = lc.getLayerStart(layer.id);
        const slice = matrix(count, layer.numel);
        for (let r = 0; r < count; r++) slice.data.set(rows.subarray(r * p + start, r * p + start + layer.numel), r * layer.numel);
        sums.set(layer.id, gemm(slice, slice, sums.get(layer.id), { transA: true }));
      }
    });
    return new PMatBlockDiag(lc, new Map([...sums].map(([id, m]) => [id, symmetrize(m)])), source.dtype as D);
  }

  get byteLength(): number {
    return [...this.#blocks.values()].reduce((n, b) => n + b.data.byteLength, 0);
  }

  /** Layer `id`'s dense block (a copy; NNGeometry's `get_block_torch`). */
  getBlock(id: string): Tensor<D> {
    this.layerCollection.getLayer(id);
    return (this.#blocks.get(id) as Matrix).astype(this.dtype);
  }

  private eachBlock(x: Float64Array, f: (block: Matrix, part: Float64Array) => ArrayLike<number>): Float64Array {
    const out = new Float64Array(x.length);
    for (const layer of this.layerCollection.layers) {
      const start = this.layerCollection.getLayerStart(layer.id);
      out.set(f(this.#blocks.get(layer.id) as Matrix, x.subarray(start, start + layer.numel)), start);
    }
    return out;
  }

  protected mvFlat(x: Float64Array): Float64Array {
    return this.eachBlock(x, (block, part) => matvec(block, part));
  }

  protected diagFlat(): Float64Array {
    return this.eachBlock(new Float64Array(this.layerCollection.numel()), (block) => Float64Array.from({ length: block.shape[0] }, (_, i) => block.data[i * block.shape[0] + i]));
  }

  protected denseFlat(): Tensor<"float64"> {
    const p = this.layerCollection.numel();
    const out = matrix(p, p);
    for (const layer of this.layerCollection.layers) {
      const start = this.layerCollection.getLayerStart(layer.id);
      const block = this.#blocks.get(layer.id) as Matrix;
      const n = layer.numel;
      for (let i = 0; i < n; i++) out.data.set(block.data.subarray(i * n, (i + 1) * n), (start + i) * p + start);
    }
    return out;
  }

  trace(): number {
    return [...this.#blocks.values()].reduce((t, b) => t + traceOf(b), 0);
  }

  protected normOf(ord: MatrixNorm): number {
    const blocks = [...this.#blocks.values()];
    if (ord === "fro") return Math.sqrt(blocks.reduce((s, b) => s + frobenius(b) ** 2, 0));
    const ranges = blocks.map((b) => symmetricSingularRange(symmetrize(b)));
    return ord === 2 ? Math.max(...ranges.map((r) => r.max)) : Math.min(...ranges.map((r) => r.min));
  }

  protected solveFlat(x: Float64Array, regul: number, kind: SolveMethod): Float64Array {
    if (typeof kind === "function") {
      return this.eachBlock(x, (block, part) => kind(plusIdentity(block, regul), matrix(part.length, 1, part.slice())).data as ArrayLike<number>);
    }
    if (kind !== "default" && kind !== "solve") unknownSolve("PMatBlockDiag", kind, ["default", "solve"]);
    return this.eachBlock(x, (block, part) => luSolve(luFactor(plusIdentity(block, regul)), matrix(part.length, 1, part.slice())).data as ArrayLike<number>);
  }

  /** `(M + regul·I)⁻¹`, block by block. */
  inv(regul = 1e-8): PMatBlockDiag<D> {
    checkRegul("PMatBlockDiag.inv", "regul", regul);
    return this.mapBlocks((b) => inv(plusIdentity(b, regul)));
  }

  inverse(regul = 1e-8): PMatBlockDiag<D> {
    return this.inv(regul);
  }

  /** The pseudo-inverse, eigenvalues at most `atol` dropped (NNGeometry has none for PMatBlockDiag; curv adds it). */
  pinv(atol = 1e-8): PMatBlockDiag<D> {
    checkRegul("PMatBlockDiag.pinv", "atol", atol);
    return this.mapBlocks((b) => symmetricFunction(symmetrize(b), (l) => (Math.abs(l) <= atol ? 0 : 1 / l)));
  }

  /** `(M + regul·I)^p`, block by block through eigendecompositions. */
  pow(p: number, { regul = 0 }: { regul?: number } = {}): PMatBlockDiag<D> {
    checkRegul("PMatBlockDiag.pow", "regul", regul);
    return this.mapBlocks((b) => symmetricFunction(symmetrize(plusIdentity(b, regul)), (l) => powerOf(l, p, "PMatBlockDiag.pow")));
  }

  add(other: PMatBlockDiag<D>): PMatBlockDiag<D> {
    this.assertSameKind(other, "add");
    return this.mapBlocks((b, id) => new Tensor("float64", [...b.shape], b.data.map((x, i) => x + (other.#blocks.get(id) as Matrix).data[i])));
  }

  sub(other: PMatBlockDiag<D>): PMatBlockDiag<D> {
    this.assertSameKind(other, "sub");
    return this.mapBlocks((b, id) => new Tensor("float64", [...b.shape], b.data.map((x, i) => x - (other.#blocks.get(id) as Matrix).data[i])));
  }

  scale(s: number): PMatBlockDiag<D> {
    return this.mapBlocks((b) => new Tensor("float64", [...b.shape], b.data.map((x) => s * x)));
  }

  /** Block-by-block product (NNGeometry's `mm`). */
  mm(other: PMatBlockDiag<D>): PMatBlockDiag<D> {
    this.assertSameKind(other, "mm");
    return this.mapBlocks((b, id) => mm(b, other.#blocks.get(id) as Matrix));
  }

  private mapBlocks(f: (block: Matrix, id: string) => Matrix): PMatBlockDiag<D> {
    return new PMatBlockDiag(this.layerCollection, new Map([...this.#blocks].map(([id, b]) => [id, f(b, id)])), this.dtype);
  }
}
