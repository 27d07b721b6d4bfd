/**
 * The data loop of every curvature operator: for each batch, a partial
 * result; the partials reduced in the data's order. It is the one place that
 * walks the data, so a pool of workers (or a distributed engine) can replace
 * it without touching the operators (DESIGN.md, "Growing past one process"):
 * each worker reduces its shard, and the host adds the shards' results in a
 * fixed order, so results stay deterministic.
 */
import { DTypeError, ShapeError, Tensor, ValueError, formatShape } from "@curv/tensor";
import { createProgressBar } from "../progress.js";

/** One batch of the data: inputs `X` and targets `y` (curvlinops' `(X, y)` tuples). */
export type DataBatch = readonly [X: Tensor, y: Tensor];

/**
 * The data set: an array of batches, or an iterable or async iterable that
 * yields them afresh every time it is iterated (operators walk the data once
 * per product, as curvlinops walks a `DataLoader`).
 */
export type DataSource = readonly DataBatch[] | Iterable<DataBatch> | AsyncIterable<DataBatch>;

/** A batch as the loop hands it to a step. */
export interface IndexedBatch {
  readonly X: Tensor;
  readonly y: Tensor;
  /** Position in the data order, from 0. */
  readonly index: number;
  /** The number of examples, `batchSizeFn(X)`. */
  readonly size: number;
}

/**
 * The loop's contract: map every batch to a partial result and fold the
 * partials in batch order, `reduce(...reduce(reduce(initial, p0), p1)..., pB)`.
 */
export interface DataLoop {
  mapReduce<P, T>(partial: (batch: IndexedBatch) => Promise<P>, reduce: (total: T, part: P, batch: IndexedBatch) => T, initial: T): Promise<T>;
}

/** Options of {@link SequentialDataLoop}. */
export interface SequentialDataLoopOptions {
  /** The number of examples in a batch's `X`; default `X.shape[0]`. */
  readonly batchSizeFn?: (X: Tensor) => number;
  /** Show a progress bar over the batches of each pass (when the number of batches is known); default false. */
  readonly progressbar?: boolean;
  /** The bar's label, e.g. the operator's class name. */
  readonly label?: string;
}

/** The types every batch must share with the first: trailing shapes and dtypes of `X` and `y`. */
interface BatchSignature {
  readonly X: { dtype: string; trailing: readonly number[] };
  readonly y: { dtype: string; trailing: readonly number[] };
}

function signatureOf(X: Tensor, y: Tensor): BatchSignature {
  return { X: { dtype: X.dtype, trailing: X.shape.slice(1) }, y: { dtype: y.dtype, trailing: y.shape.slice(1) } };
}

function isAsyncIterable(data: unknown): data is AsyncIterable<DataBatch> {
  return data !== null && typeof data === "object" && typeof (data as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
}

function isIterable(data: unknown): data is Iterable<DataBatch> {
  return data !== null && typeof data === "object" && typeof (data as Iterable<unknown>)[Symbol.iterator] === "function";
}

/**
 * Walks the data in order on this thread, one batch at a time, checking each
 * batch as it comes: `[X, y]` tensors with at least one axis, a positive batch
 * size, `y` with as many rows as `X` has examples (when `y` has a batch axis),
 * and the same trailing shapes and dtypes as the first batch.
 *
 * @example
 * ```ts
 * const loop = new SequentialDataLoop([[X0, y0], [X1, y1]]);
 * const numData = await loop.mapReduce(async (b) => b.size, (n, size) => n + size, 0);   // N
 * ```
 */
export class SequentialDataLoop implements DataLoop {
  readonly data: DataSource;
  readonly #batchSizeFn: (X: Tensor) => number;
  readonly #progressbar: boolean;
  readonly #label: string;
  #signature: BatchSignature | undefined;
  #numBatches: number | undefined;

  constructor(data: DataSource, { batchSizeFn, progressbar = false, label = "data" }: SequentialDataLoopOptions = {}) {
    if (!Array.isArray(data) && !isIterable(data) && !isAsyncIterable(data)) {
      throw new ValueError(`${label}: data must be an array or an (async) iterable of [X, y] batches, got ${describe(data)}`);
    }
    if (batchSizeFn !== undefined && typeof batchSizeFn !== "function") {
      throw new ValueError(`${label}: batchSizeFn must be a function of X, got ${describe(batchSizeFn)}`);
    }
    this.data = data;
    this.#batchSizeFn = batchSizeFn ?? ((X) => X.shape[0]);
    this.#progressbar = progressbar;
    this.#label = label;
    if (Array.isArray(data)) this.#numBatches = data.length;
  }

  /** The batches in order, checked. Throws when the data yields none. */
  async *batches(): AsyncGenerator<IndexedBatch> {
    const source = this.data as Iterable<DataBatch> | AsyncIterable<DataBatch>;
    let index = 0;
    for await (const item of source) {
      yield this.check(item, index);
      index++;
    }
    if (index === 0) {
      throw new ValueError(
        `${this.#label}: the data yielded no batches; pass a non-empty array, or an iterable that yields the batches afresh each time it is iterated`,
      );
    }
    this.#numBatches = index;
  }

  /** The first batch, checked (reads one batch of the data). */
  async first(): Promise<IndexedBatch> {
    for await (const batch of this.batches()) return batch;
    throw new ValueError(`${this.#label}: the data yielded no batches`);
  }

  async mapReduce<P, T>(partial: (batch: IndexedBatch) => Promise<P>, reduce: (total: T, part: P, batch: IndexedBatch) => T, initial: T): Promise<T> {
    const bar = createProgressBar({ total: this.#numBatches ?? 0, label: this.#label, enabled: this.#progressbar && this.#numBatches !== undefined });
    let total = initial;
    try {
      for await (const batch of this.batches()) {
        total = reduce(total, await partial(batch), batch);
        bar.advance();
      }
    } finally {
      bar.finish();
    }
    return total;
  }

  private check(item: unknown, index: number): IndexedBatch {
    const where = `${this.#label}: batch ${index}`;
    if (!Array.isArray(item) || item.length !== 2) throw new ValueError(`${where} must be an [X, y] pair, got ${describe(item)}`);
    const [X, y] = item as unknown[];
    if (!(X instanceof Tensor)) throw new ValueError(`${where}: X must be a Tensor, got ${describe(X)}`);
    if (!(y instanceof Tensor)) throw new ValueError(`${where}: y must be a Tensor, got ${describe(y)}`);
    if (X.ndim < 1) throw new ShapeError(`${where}: X needs a batch axis, got shape ${formatShape(X.shape)}`);
    const size = this.#batchSizeFn(X);
    if (!Number.isInteger(size) || size < 1) throw new ValueError(`${where}: the batch size must be a positive integer, got ${size}`);
    if (y.ndim >= 1 && y.shape[0] !== X.shape[0]) {
      throw new ShapeError(`${where}: X has ${X.shape[0]} rows (shape ${formatShape(X.shape)}) but y has ${y.shape[0]} (shape ${formatShape(y.shape)})`);
    }
    const signature = signatureOf(X, y);
    if (this.#signature === undefined) this.#signature = signature;
    else assertSameSignature(this.#signature, signature, where);
    return { X, y, index, size };
  }
}

function assertSameSignature(first: BatchSignature, given: BatchSignature, where: string): void {
  for (const key of ["X", "y"] as const) {
    const [a, b] = [first[key], given[key]];
    if (a.dtype !== b.dtype) throw new DTypeError(`${where}: ${key} is ${b.dtype} but batch 0's ${key} is ${a.dtype}`);
    if (formatShape(a.trailing) !== formatShape(b.trailing)) {
      throw new ShapeError(`${where}: ${key} has shape ${formatShape(["N", ...b.trailing])}, expected ${formatShape(["N", ...a.trailing])} like batch 0`);
    }
  }
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return typeof x === "object" ? (x.constructor?.name ?? "an object") : typeof x;
}
