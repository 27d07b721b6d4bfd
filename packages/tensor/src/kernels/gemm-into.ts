import { ShapeError, ValueError } from "../errors.js";

/** The storage arrays {@link gemmInto} works on. */
export type FloatArray = Float32Array | Float64Array;

/** Depth of one k tile: a packed B tile of KC rows x NC columns (256 KiB of doubles) stays in L2. */
const KC = 128;
/** Width of one n panel: an accumulator row of NC doubles (2 KiB) stays in L1. */
const NC = 256;

/**
 * The one dense matrix product of curv's host kernels, on raw storage:
 *
 *   C = (accumulate ? C : 0) + alpha * A B,   A: m x k, B: k x n, C: m x n,
 *
 * where `A[i, p] = a[aOffset + i * aRowStride + p * aColStride]`, likewise for
 * B, and `C[i, j] = c[cOffset + i * cRowStride + j]` (C's rows contiguous).
 * Strides express transposition without copying: a row-major `[k, m]` array
 * read as its transpose has `aRowStride = 1, aColStride = m`. Any mix of
 * Float32Array and Float64Array is allowed; products accumulate in doubles and
 * each C entry is rounded once when stored. `c` must not overlap `a` or `b`.
 *
 * The loops are blocked as in Goto & van de Geijn, "Anatomy of
 * high-performance matrix multiplication" (2008), scaled down to what a JIT
 * can keep in registers: C is computed in panels of NC columns held in a
 * float64 accumulator; each KC x NC tile of B is packed once into a contiguous
 * row-major buffer (this also turns any stride of B into unit stride), and the
 * inner kernel updates two accumulator rows at a time from four packed rows of
 * B, an i-k-j order whose innermost loop runs over contiguous memory.
 *
 * @example
 * ```ts
 * // C (2 x 2) = A (2 x 3) times B (3 x 2), all row-major.
 * const a = Float64Array.of(1, 2, 3, 4, 5, 6);
 * const b = Float64Array.of(1, 0, 0, 1, 1, 1);
 * const c = new Float64Array(4);
 * gemmInto(2, 2, 3, a, 0, 3, 1, b, 0, 2, 1, c, 0, 2);
 * c; // Float64Array [4, 5, 10, 11]
 * ```
 */
export function gemmInto(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOffset: number,
  aRowStride: number,
  aColStride: number,
  b: FloatArray,
  bOffset: number,
  bRowStride: number,
  bColStride: number,
  c: FloatArray,
  cOffset: number,
  cRowStride: number,
  accumulate = false,
  alpha = 1,
): void {
  for (const [name, v] of [["m", m], ["n", n], ["k", k]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new ValueError(`gemmInto: ${name} must be a non-negative integer, got ${v}`);
  }
  if (m === 0 || n === 0) return;
  assertInBounds("a", a, aOffset, m, aRowStride, k, aColStride);
  assertInBounds("b", b, bOffset, k, bRowStride, n, bColStride);
  assertInBounds("c", c, cOffset, m, cRowStride, n, 1);
  const panelWidth = Math.min(NC, n);
  const acc = new Float64Array(m * panelWidth);
  const packed = new Float64Array(Math.min(KC, k) * panelWidth);
  for (let jc = 0; jc < n; jc += NC) {
    const nb = Math.min(NC, n - jc);
    if (jc > 0) acc.fill(0);
    for (let pc = 0; pc < k; pc += KC) {
      const kb = Math.min(KC, k - pc);
      packB(b, bOffset + pc * bRowStride + jc * bColStride, bRowStride, bColStride, kb, nb, packed);
      multiplyPanel(m, nb, kb, a, aOffset + pc * aColStride, aRowStride, aColStride, packed, acc);
    }
    storePanel(m, nb, acc, c, cOffset + jc, cRowStride, accumulate, alpha);
  }
}

function assertInBounds(name: string, array: FloatArray, offset: number, rows: number, rowStride: number, cols: number, colStride: number): void {
  if (![offset, rowStride, colStride].every(Number.isInteger)) {
    throw new ValueError(`gemmInto: offset and strides of ${name} must be integers, got ${offset}, ${rowStride}, ${colStride}`);
  }
  if (rows === 0 || cols === 0) return;
  const low = offset + (rows - 1) * Math.min(rowStride, 0) + (cols - 1) * Math.min(colStride, 0);
  const high = offset + (rows - 1) * Math.max(rowStride, 0) + (cols - 1) * Math.max(colStride, 0);
  if (low < 0 || high >= array.length) {
    throw new ShapeError(
      `gemmInto: a ${rows} x ${cols} view of ${name} at offset ${offset} with strides (${rowStride}, ${colStride}) ` +
        `reaches elements ${low}..${high}, but ${name} has ${array.length}`,
    );
  }
}

/** Copies the kb x nb block of B starting at `start` into `packed`, row-major with unit column stride. */
function packB(b: FloatArray, start: number, rowStride: number, colStride: number, kb: number, nb: number, packed: Float64Array): void {
  for (let p = 0; p < kb; p++) {
    const from = start + p * rowStride;
    const to = p * nb;
    if (colStride === 1) packed.set(b.subarray(from, from + nb), to);
    else for (let j = 0; j < nb; j++) packed[to + j] = b[from + j * colStride];
  }
}

/**
 * acc[i, :] += sum_p A[i, p] * packed[p, :] for all m rows and kb depths.
 * Two rows of acc share each load of four packed rows: 16 flops per 4 loads of
 * B and 2 read-modify-writes of acc.
 */
function multiplyPanel(
  m: number, nb: number, kb: number,
  a: FloatArray, aStart: number, aRowStride: number, aColStride: number,
  packed: Float64Array, acc: Float64Array,
): void {
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const r0 = i * nb;
    const r1 = r0 + nb;
    const a0 = aStart + i * aRowStride;
    const a1 = a0 + aRowStride;
    let p = 0;
    for (; p + 4 <= kb; p += 4) {
      const q = p * aColStride;
      const x00 = a[a0 + q], x01 = a[a0 + q + aColStride], x02 = a[a0 + q + 2 * aColStride], x03 = a[a0 + q + 3 * aColStride];
      const x10 = a[a1 + q], x11 = a[a1 + q + aColStride], x12 = a[a1 + q + 2 * aColStride], x13 = a[a1 + q + 3 * aColStride];
      const b0 = p * nb, b1 = b0 + nb, b2 = b1 + nb, b3 = b2 + nb;
      for (let j = 0; j < nb; j++) {
        const y0 = packed[b0 + j], y1 = packed[b1 + j], y2 = packed[b2 + j], y3 = packed[b3 + j];
        acc[r0 + j] += x00 * y0 + x01 * y1 + x02 * y2 + x03 * y3;
        acc[r1 + j] += x10 * y0 + x11 * y1 + x12 * y2 + x13 * y3;
      }
    }
    for (; p < kb; p++) {
      const x0 = a[a0 + p * aColStride], x1 = a[a1 + p * aColStride];
      const b0 = p * nb;
      for (let j = 0; j < nb; j++) {
        const y = packed[b0 + j];
        acc[r0 + j] += x0 * y;
        acc[r1 + j] += x1 * y;
      }
    }
  }
  for (; i < m; i++) {
    const r = i * nb;
    const a0 = aStart + i * aRowStride;
    for (let p = 0; p < kb; p++) {
      const x = a[a0 + p * aColStride];
      const b0 = p * nb;
      for (let j = 0; j < nb; j++) acc[r + j] += x * packed[b0 + j];
    }
  }
}

/** C[:, panel] = (accumulate ? C : 0) + alpha * acc, rounding once into C's precision. */
function storePanel(m: number, nb: number, acc: Float64Array, c: FloatArray, start: number, rowStride: number, accumulate: boolean, alpha: number): void {
  for (let i = 0; i < m; i++) {
    const r = i * nb;
    const to = start + i * rowStride;
    if (accumulate) for (let j = 0; j < nb; j++) c[to + j] += alpha * acc[r + j];
    else for (let j = 0; j < nb; j++) c[to + j] = alpha * acc[r + j];
  }
}
