import { ShapeError } from "../errors.js";
import { formatShape, stridesOf } from "../shape.js";

/**
 * NumPy broadcasting of any number of shapes: shapes are right-aligned, and
 * each output extent is the one extent that is not 1 (or 1). `what` names the
 * calling kernel in the error.
 */
export function broadcastShapesOf(shapes: readonly (readonly number[])[], what: string): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const shape of shapes) {
    const lead = rank - shape.length;
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i];
      if (d === out[lead + i] || d === 1) continue;
      if (out[lead + i] !== 1) {
        throw new ShapeError(`${what}: cannot broadcast shapes ${shapes.map((s) => formatShape(s)).join(" and ")}`);
      }
      out[lead + i] = d;
    }
  }
  return out;
}

/**
 * Strides (in elements) of a row-major operand of `shape` read as if it had
 * `outShape`: right-aligned, with stride 0 along every broadcast axis.
 */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const own = stridesOf(shape);
  const lead = outShape.length - shape.length;
  return outShape.map((_, i) => (i < lead || shape[i - lead] === 1 ? 0 : own[i - lead]));
}

/**
 * Visits a broadcast in rows, so that kernels run a tight loop per row instead
 * of recomputing a multi-index per element.
 *
 * Axes of extent 1 are dropped and neighbouring axes that every operand walks
 * contiguously are merged first, so `[8, 4, 5] + [5]` is 32 rows of 5 and
 * `[8, 4, 5] + [8, 4, 5]` one row of 160. `visit(outOffset, offsets, rowLength,
 * rowStrides)` gets the start of the row in the output and in each operand,
 * and each operand's stride along the row (0 where it is broadcast).
 */
export function forEachBroadcastRow(
  outShape: readonly number[],
  operandStrides: readonly (readonly number[])[],
  visit: (outOffset: number, offsets: number[], rowLength: number, rowStrides: number[]) => void,
): void {
  const { shape, strides } = collapseAxes(outShape, operandStrides);
  const operands = operandStrides.length;
  const rank = shape.length;
  const rowLength = rank === 0 ? 1 : shape[rank - 1];
  if (shape.includes(0)) return;
  const rowStrides = strides.map((s) => (rank === 0 ? 0 : s[rank - 1]));
  const offsets = new Array<number>(operands).fill(0);
  const index = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  let outOffset = 0;
  for (;;) {
    visit(outOffset, offsets, rowLength, rowStrides);
    outOffset += rowLength;
    // Odometer over the outer axes, last outer axis fastest.
    let axis = rank - 2;
    for (; axis >= 0; axis--) {
      for (let k = 0; k < operands; k++) offsets[k] += strides[k][axis];
      if (++index[axis] < shape[axis]) break;
      for (let k = 0; k < operands; k++) offsets[k] -= strides[k][axis] * shape[axis];
      index[axis] = 0;
    }
    if (axis < 0) return;
  }
}

/** Drops extent-1 axes and merges neighbours every operand (and the output) walks contiguously. */
function collapseAxes(
  outShape: readonly number[],
  operandStrides: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const shape: number[] = [];
  const strides: number[][] = operandStrides.map(() => []);
  for (let axis = 0; axis < outShape.length; axis++) {
    const d = outShape[axis];
    if (d === 1) continue;
    const last = shape.length - 1;
    const mergeable =
      last >= 0 && operandStrides.every((s, k) => strides[k][last] === s[axis] * d);
    if (mergeable) {
      shape[last] *= d;
      operandStrides.forEach((s, k) => (strides[k][last] = s[axis]));
    } else {
      shape.push(d);
      operandStrides.forEach((s, k) => strides[k].push(s[axis]));
    }
  }
  return { shape, strides };
}
