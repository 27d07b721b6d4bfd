/**
 * The GGN's square root kept in memory: the rows `rᵢ = √w Jₙᵀ Sₙ[:, k]`
 * of every example n and loss-Hessian column k (the same rows as
 * {@link ggnSquareRootRows}), stored as one `[R, P]` matrix `Rᵀ` with
 * `R = N · (outputs per example)`. Then `G V = R (Rᵀ V)`: two dense
 * products on the host whose cost grows with the K columns of V as a GEMM's
 * does, instead of K vmapped JVP/VJP passes through the model.
 *
 * The rows are computed from the model's parameters and buffers at build
 * time; every product first compares them with a snapshot (O(P) host work)
 * and rebuilds when they changed. The data must be the same at every pass,
 * as the determinism check already assumes.
 */
import { gemmInto, Tensor, sizeOf, type FloatDType } from "@curv/tensor";
import type { CurvatureLoss, Module } from "@curv/autodiff";
import type { CurvatureRun } from "./curvature-run.js";
import { DiagonalComputer } from "./ggn-diagonal-linear-operator.js";

/** Default memory budget of the cached square root: 256 MiB. */
export const DEFAULT_SQUARE_ROOT_BUDGET = 256 * 2 ** 20;

/** The cached rows `Rᵀ` (`[rows, P]`, row-major) and the parameters they were computed from. */
export class GGNSquareRootCache<D extends FloatDType> {
  private constructor(
    readonly transposedRows: Float32Array | Float64Array,
    readonly rows: number,
    readonly dimension: number,
    readonly dtype: D,
    private readonly snapshot: readonly (readonly [Tensor, Float32Array | Float64Array])[],
  ) {}

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
    return new GGNSquareRootCache(data, count, dimension, run.dtype, snapshot);
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

  /** `G X = R (Rᵀ X)` for a `[P, K]` matrix X, accumulated in float64 and rounded once to the operator's dtype. */
  times(x: Tensor<D>): Tensor<D> {
    const k = x.shape[1];
    const [p, rows] = [this.dimension, this.rows];
    const projected = new Float64Array(rows * k);
    // Rᵀ X: A = Rᵀ ([rows, P] row-major), B = X ([P, K]).
    gemmInto(rows, k, p, this.transposedRows, 0, p, 1, x.data as Float32Array | Float64Array, 0, k, 1, projected, 0, k);
    const out = new Tensor(this.dtype, [p, k]);
    // R (Rᵀ X): A = R, read from Rᵀ with swapped strides.
    gemmInto(p, k, rows, this.transposedRows, 0, 1, p, projected, 0, k, 1, out.data as Float32Array | Float64Array, 0, k);
    return out as Tensor<D>;
  }
}

/** The model's parameters and buffers, in a fixed order. */
function tensorsOf(model: Module): Tensor[] {
  return [...model.namedParameters().map(([, t]) => t), ...model.namedBuffers().map(([, t]) => t)];
}
