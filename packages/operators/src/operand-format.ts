import { DTypeError, ShapeError, Tensor, ValueError, concat, formatShape, shapesEqual, sizeOf, type FloatDType, type Shape } from "@curv/tensor";

/**
 * What a product multiplies: one tensor (`[n]` for a vector, `[n, K]` for a
 * matrix), or a list of blocks shaped like the operator's input (or output)
 * blocks, each with a trailing `K` axis for a matrix: curvlinops' "tensor list
 * format", where a vector in parameter space is one tensor per parameter.
 */
export type Operand<D extends FloatDType = FloatDType> = Tensor<D> | readonly Tensor<D>[];

/** How an operand was given, so the result can be handed back the same way. */
export interface OperandLayout {
  /** Given as a list of blocks (else as one tensor). */
  list: boolean;
  /** A vector (else a matrix with a trailing column axis). */
  vector: boolean;
  /** `K`, the number of columns (1 for a vector). */
  columns: number;
}

/** An operand read into the one form operators compute on: a `[n, K]` matrix. */
export interface ReadOperand<D extends FloatDType> {
  matrix: Tensor<D>;
  layout: OperandLayout;
}

/** `"vector"` for matvec-style products, `"matrix"` for matmat-style ones. */
export type OperandKind = "vector" | "matrix";

/** How the blocks of a space look in messages: `[2, 3], [3]` (extents may be symbolic, as `K`). */
export function formatShapes(shapes: readonly (readonly (number | string)[])[]): string {
  return shapes.map((s) => formatShape(s)).join(", ");
}

/** Whether two lists of block shapes are the same, block by block. */
export function shapeListsEqual(a: readonly Shape[], b: readonly Shape[]): boolean {
  return a.length === b.length && a.every((s, i) => shapesEqual(s, b[i]));
}

function expectation(shapes: readonly Shape[], kind: OperandKind): string {
  const n = shapes.reduce((total, s) => total + sizeOf(s), 0);
  return kind === "vector"
    ? `shape [${n}] or a list of tensors shaped ${formatShapes(shapes)}`
    : `shape [${n}, K] or a list of tensors shaped ${formatShapes(shapes.map((s) => [...s, "K"]))}`;
}

function assertDType(x: Tensor, dtype: FloatDType, what: string): void {
  if (x.dtype !== dtype) throw new DTypeError(`${what}: expected dtype ${dtype} (the operator's), got ${x.dtype}`);
}

function readTensor<D extends FloatDType>(x: Tensor<D>, shapes: readonly Shape[], dtype: D, kind: OperandKind, what: string): ReadOperand<D> {
  assertDType(x, dtype, what);
  const n = shapes.reduce((total, s) => total + sizeOf(s), 0);
  const fits = kind === "vector" ? x.ndim === 1 && x.shape[0] === n : x.ndim === 2 && x.shape[0] === n;
  if (!fits) throw new ShapeError(`${what} must have ${expectation(shapes, kind)}; got shape ${formatShape(x.shape)}`);
  const columns = kind === "vector" ? 1 : x.shape[1];
  return { matrix: kind === "vector" ? x.reshape([n, 1]) : x, layout: { list: false, vector: kind === "vector", columns } };
}

function readList<D extends FloatDType>(xs: readonly unknown[], shapes: readonly Shape[], dtype: D, kind: OperandKind, what: string): ReadOperand<D> {
  xs.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new ValueError(`${what}[${i}] must be a Tensor, got ${describe(x)}`);
    assertDType(x, dtype, `${what}[${i}]`);
  });
  const blocks = xs as readonly Tensor<D>[];
  const given = blocks.map((x) => formatShape(x.shape)).join(", ");
  const mismatch = (): ShapeError =>
    new ShapeError(`${what} must have ${expectation(shapes, kind)}; got a list of ${blocks.length} tensors shaped ${given}`);
  if (blocks.length !== shapes.length) throw mismatch();
  const columns = kind === "vector" ? 1 : (blocks[0]?.shape.at(-1) ?? 0);
  const block = (s: Shape): readonly number[] => (kind === "vector" ? s : [...s, columns]);
  if (!blocks.every((x, i) => shapesEqual(x.shape, block(shapes[i])))) throw mismatch();
  const rows = blocks.map((x, i) => x.reshape([sizeOf(shapes[i]), columns]));
  const matrix = rows.length === 1 ? rows[0] : concat(rows, 0);
  return { matrix, layout: { list: true, vector: kind === "vector", columns } };
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array";
  return typeof x === "object" ? (x.constructor?.name ?? "an object") : typeof x;
}

/**
 * Checks an operand against the blocks `shapes` of the space it lives in and
 * returns it as a `[n, K]` matrix. `what` names the operand in messages, e.g.
 * `"DenseLinearOperator.matvec: v"`.
 *
 * Throws a `ShapeError` that states the expected and the given shapes, a
 * `DTypeError` if the dtype is not the operator's, and a `ValueError` for
 * anything that is neither a tensor nor a list of tensors.
 */
export function readOperand<D extends FloatDType>(x: unknown, shapes: readonly Shape[], dtype: D, kind: OperandKind, what: string): ReadOperand<D> {
  if (x instanceof Tensor) return readTensor(x as Tensor<D>, shapes, dtype, kind, what);
  if (Array.isArray(x)) return readList(x, shapes, dtype, kind, what);
  throw new ValueError(`${what} must be a Tensor or a list of Tensors, got ${describe(x)}`);
}

/**
 * Hands a `[m, K]` result back in the layout its operand had: one tensor
 * (`[m]` or `[m, K]`) or a list of blocks shaped by `shapes` (with a trailing
 * `K` for matrices). Blocks are copies, so results never share storage.
 */
export function writeResult<D extends FloatDType>(y: Tensor<D>, shapes: readonly Shape[], layout: OperandLayout): Tensor<D> | Tensor<D>[] {
  const { columns, vector } = layout;
  if (!layout.list) return vector ? y.reshape([y.shape[0]]) : y;
  const out: Tensor<D>[] = [];
  let row = 0;
  for (const shape of shapes) {
    const size = sizeOf(shape);
    const data = y.data.slice(row * columns, (row + size) * columns) as Tensor<D>["data"];
    out.push(new Tensor(y.dtype, vector ? shape : [...shape, columns], data));
    row += size;
  }
  return out;
}
