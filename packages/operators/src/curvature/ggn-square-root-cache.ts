/**
 * The GGN's square root kept in memory: the rows `rᵢ = √w Jₙᵀ Sₙ[:, k]`
 * of every example n and loss-Hessian column k (the same rows as
 * {@link ggnSquareRootRows}), stored as one `[R, P]` matrix `Rᵀ` with
 * `R = N · (outputs per example)`. Then `G V = R (Rᵀ V)`: two matrix
 * products, one compiled program on the operator's runtime (ORT's MatMul on
 * CPU), whose cost grows with the K columns of V as a GEMM's does, instead
 * of K vmapped JVP/VJP passes through the model.
 *
 * The rows are computed from the model's parameters and buffers at build
 * time; every product first compares them with a snapshot (O(P) host work)
 * and rebuilds when they changed. The data must be the same at every pass,
 * as the determinism check already assumes.
 */
import { Tensor, sizeOf, type FloatDType } from "@curv/tensor";
import { matmul, trace, transpose, type CurvatureLoss, type Module } from "@curv/autodiff";
import type { CurvatureRun } from "./curvature-run.js";
import { DiagonalComputer } from "./ggn-diagonal-linear-operator.js";
import { ProgramCache } from "./program-cache.js";

/** Default memory budget of the cached square root: 256 MiB. */
export const DEFAULT_SQUARE_ROOT_BUDGET = 256 * 2 ** 20;

/** The cached rows `Rᵀ` (`[rows, P]`, row-major) and the parameters they were computed from. */
export class GGNSquareRootCache<D extends FloatDType> {
  readonly #programs: ProgramCache;

  private constructor(
    /** `Rᵀ`, `[rows, P]`. */
    readonly transposedRows: Tensor<D>,
    private readonly snapshot: readonly (readonly [Tensor, Float32Array | Float64Array])[],
    run: CurvatureRun<D>,
  ) {
    this.#programs = new ProgramCache(run.compileOptions);
  }

  /** Entries `N · O · P` the cache would hold (O the model's outputs per example): what the budget is checked against. */
  static entries(run: CurvatureRun<FloatDType>, dimension: number): number {
    return (run.numData as number) * sizeOf(run.outputTrailingShape()) * dimension;
  }

  /** Computes the rows with one pass over the data (the per-example program of {@link ggnSquareRootRows}). */
  static async build<D extends FloatDType>(run: CurvatureRun<D>, loss: CurvatureLoss, dimension: number): Promise<GGNSquareRootCache<D>> {
    const snapshot = tensorsOf(run.model).map((t) => [t, (t.data as Float32Array | Float64Array).slice()] as const);
    const parts: { rows: Tensor<D>[] }[] = [];
    const computer = new DiagonalComputer(run, loss, 0, "rows");
    try {
      await computer.rows((rows) => parts.push({ rows }));
    } finally {
      await computer.dispose();
    }
    const count = parts.reduce((n, part) => n + part.rows[0].shape[0] * part.rows[0].shape[1], 0);
    const data = run.dtype === "float32" ? new Float32Array(count * dimension) : new Float64Array(count * dimension);
    let row = 0;
    for (const { rows } of parts) {
      // rows[i]: [N_b, K, ...shape_i]; row (n, k) of Rᵀ is the concatenation over i of rows[i][n, k].
      const perBatch = rows[0].shape[0] * rows[0].shape[1];
      let column = 0;
      for (const block of rows) {
        const size = block.data.length / perBatch;
        for (let r = 0; r < perBatch; r++) {
          const target = (row + r) * dimension + column;
          for (let j = 0; j < size; j++) data[target + j] = block.data[r * size + j] as number;
        }
        column += size;
      }
      row += perBatch;
    }
    return new GGNSquareRootCache(new Tensor(run.dtype, [count, dimension], data as Tensor<D>["data"]), snapshot, run);
  }

  /** Whether the model's parameters and buffers are still the ones the rows were computed from. */
  isCurrent(model: Module): boolean {
    const tensors = tensorsOf(model);
    if (tensors.length !== this.snapshot.length) return false;
    for (let i = 0; i < tensors.length; i++) {
      const [tensor, values] = this.snapshot[i];
      if (tensors[i] !== tensor || tensor.data.length !== values.length) return false;
      const data = tensor.data as ArrayLike<number>;
      for (let j = 0; j < values.length; j++) if (!Object.is(data[j], values[j])) return false;
    }
    return true;
  }

  /** `G X = R (Rᵀ X)` for a `[P, K]` matrix X: one run of a program compiled once (K is symbolic). */
  async times(x: Tensor<D>): Promise<Tensor<D>> {
    const [rows, p] = this.transposedRows.shape;
    const dtype = this.transposedRows.dtype;
    const program = await this.#programs.get("product", () =>
      trace(({ rt, v }) => ({ product: matmul(transpose(rt, [1, 0]), matmul(rt, v)) }), {
        rt: { dtype, shape: [rows, p] },
        v: { dtype, shape: [p, "k"] },
      }, "GGNSquareRootProduct"),
    );
    const { product } = await program.run({ rt: this.transposedRows, v: x });
    return product as Tensor<D>;
  }

  /** Releases the compiled program. */
  dispose(): Promise<void> {
    return this.#programs.dispose();
  }
}

/** The model's parameters and buffers, in a fixed order. */
function tensorsOf(model: Module): Tensor[] {
  return [...model.namedParameters().map(([, t]) => t), ...model.namedBuffers().map(([, t]) => t)];
}
