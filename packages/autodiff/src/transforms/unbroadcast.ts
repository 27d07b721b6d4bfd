/**
 * Summing a cotangent down to an operand's shape: the one place where
 * broadcasting is undone. Rules return cotangents in whatever broadcast shape
 * falls out of their formula; the backward driver calls this for every one.
 */
import { formatShape, ShapeError } from "@curv/tensor";
import type { Value } from "../core/value.js";
import { reduceSum } from "../primitives/reduce-sum.js";
import { reshape } from "../primitives/reshape.js";
import { broadcastTo } from "../primitives/broadcast-to.js";

/**
 * `cotangent` summed over the axes along which `operand` was broadcast:
 * the leading axes it lacks and the axes where it has extent 1. A cotangent
 * smaller than the operand (a rule that kept a broadcastable shape) is
 * broadcast up instead.
 */
export function unbroadcast(cotangent: Value, operand: Value): Value {
  const target = operand.shape;
  const shape = cotangent.shape;
  if (shape.length === target.length && shape.every((d, i) => d === target[i])) return cotangent;
  const lead = shape.length - target.length;
  if (lead < 0) return broadcastTo(cotangent, target);
  const axes: number[] = [];
  shape.forEach((d, i) => {
    if (i < lead || (target[i - lead] === 1 && d !== 1)) axes.push(i);
    else if (d !== target[i - lead] && d !== 1) {
      throw new ShapeError(`cannot sum a cotangent of shape ${formatShape(shape)} down to ${formatShape(target)}`);
    }
  });
  const summed = reduceSum(cotangent, axes, true);
  const kept = reshape(summed, shape.slice(lead).map((d, i) => (axes.includes(i + lead) ? 1 : d)));
  return broadcastTo(kept, target);
}
