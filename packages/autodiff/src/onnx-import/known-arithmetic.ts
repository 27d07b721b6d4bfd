/**
 * Elementwise arithmetic on known tensors: the integer shape arithmetic of
 * exported graphs (`Div(Shape(x)[1], 2)`), broadcast NumPy style. A
 * symbolic extent survives products and exact quotients (`batch * 16`,
 * `(batch * 16) / 16`) and adding zero; anything else needs its value,
 * which is only known when the program runs.
 */
import { broadcastShapes, isFloat, isUnknownDim, sizeOf, stridesOf, type Dim } from "@curv/tensor";
import type { NodeContext } from "./node-context.js";
import type { KnownTensor } from "./operand.js";

/** Entry `index` (row-major, in the broadcast `shape`) of `t`. */
function broadcastEntry(t: KnownTensor, shape: readonly number[], index: number): Dim {
  const strides = stridesOf(t.shape);
  const offset = shape.length - t.shape.length;
  let rest = index;
  let position = 0;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const i = rest % shape[axis];
    rest = Math.floor(rest / shape[axis]);
    const own = axis - offset;
    if (own >= 0 && t.shape[own] !== 1) position += i * strides[own];
  }
  return t.values[position];
}

/**
 * `f` applied entrywise to known `a` and `b`; `symbolic` gives the result
 * where an entry is a symbolic extent, or `undefined` where it is not known
 * while tracing.
 */
export function knownBinary(
  a: KnownTensor,
  b: KnownTensor,
  f: (x: number, y: number) => number,
  symbolic: (x: Dim, y: Dim) => Dim | undefined,
  node: NodeContext,
): KnownTensor {
  const shape = broadcastShapes(a.shape, b.shape);
  const integer = !isFloat(a.dtype);
  const values = Array.from({ length: sizeOf(shape) }, (_, i) => {
    const x = broadcastEntry(a, shape, i);
    const y = broadcastEntry(b, shape, i);
    if (typeof x === "number" && typeof y === "number") {
      const value = f(x, y);
      return integer ? Math.trunc(value) : value;
    }
    const result = symbolic(x, y);
    if (result === undefined || isUnknownDim(result)) {
      return node.unsupported(`${node.node.op} of ${JSON.stringify(x)} and ${JSON.stringify(y)} (a symbolic extent whose value is only known at run time)`);
    }
    return result;
  });
  return { dtype: a.dtype, shape, values };
}
