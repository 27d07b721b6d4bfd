import { ShapeError, Tensor, ValueError } from "@curv/tensor";

/** What the plotting functions accept as a matrix: a 2-D {@link Tensor} or rows of numbers. */
export type MatrixLike = Tensor | readonly (readonly number[])[];

/** A matrix read into float64 row-major storage, the one form the renderers work on. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major values; entry `(i, j)` is `values[i * cols + j]`. */
  readonly values: Float64Array;
}

/**
 * Reads a {@link MatrixLike} into a {@link Matrix}. `what` names the argument
 * in error messages (e.g. `"panels[2].matrix"`).
 *
 * Any real dtype is accepted (int64 and bool are converted with `Number`); the
 * matrix must be 2-D with at least one row and one column, because an empty
 * picture has no pixel to show a value in.
 */
export function readMatrix(matrix: MatrixLike, what = "matrix"): Matrix {
  if (isTensorLike(matrix)) return readTensor(matrix, what);
  if (!Array.isArray(matrix)) {
    throw new ValueError(`${what}: expected a 2-D Tensor or an array of rows, got ${describe(matrix)}`);
  }
  return readRows(matrix, what);
}

// Duck-typed rather than `instanceof`, so a Tensor from another copy of
// @curv/tensor (a bundled build beside the source) is still read.
function isTensorLike(x: unknown): x is Tensor {
  return x instanceof Tensor || (typeof x === "object" && x !== null && !Array.isArray(x) && "shape" in x && "data" in x && "dtype" in x);
}

function readTensor(t: Pick<Tensor, "shape" | "data">, what: string): Matrix {
  if (t.shape.length !== 2) {
    throw new ShapeError(`${what}: expected a 2-D tensor, got shape [${t.shape.join(", ")}]`);
  }
  const [rows, cols] = t.shape;
  assertNotEmpty(rows, cols, what);
  const values = new Float64Array(rows * cols);
  const data = t.data as ArrayLike<number | bigint>;
  for (let i = 0; i < values.length; i++) values[i] = Number(data[i]);
  return { rows, cols, values };
}

function readRows(rowsIn: readonly (readonly number[])[], what: string): Matrix {
  const rows = rowsIn.length;
  const first = rowsIn[0];
  if (rows > 0 && !Array.isArray(first)) {
    throw new ShapeError(`${what}: expected an array of rows (2-D), got a 1-D array; wrap it as [row] for a single row`);
  }
  const cols = rows > 0 ? first.length : 0;
  assertNotEmpty(rows, cols, what);
  const values = new Float64Array(rows * cols);
  rowsIn.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw new ShapeError(`${what}: row ${i} has ${Array.isArray(row) ? row.length : "no"} entries, row 0 has ${cols}`);
    }
    row.forEach((v, j) => {
      if (typeof v !== "number") {
        throw new ValueError(`${what}: entry [${i}, ${j}] is ${describe(v)}, expected a number`);
      }
      values[i * cols + j] = v;
    });
  });
  return { rows, cols, values };
}

function assertNotEmpty(rows: number, cols: number, what: string): void {
  if (rows === 0 || cols === 0) {
    throw new ShapeError(`${what}: expected at least one row and one column, got shape [${rows}, ${cols}]`);
  }
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return typeof x === "object" ? (x.constructor?.name ?? "an object") : `${typeof x} ${String(x)}`;
}
