/**
 * Checking the tensors fed to a graph against its declared inputs, before any
 * node runs, so a mistake is reported against the input that caused it.
 */
import { isFloat } from "../dtype.js";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { formatShape, stridesOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import type { Graph, ValueInfo } from "./ir.js";
import { isUnknownDim } from "./symbolic-dim.js";

/** Options of {@link checkGraphFeeds}. */
export interface FeedCheckOptions {
  /** Also reject NaN and infinite entries of float inputs (a ValueError naming the input and entry). */
  readonly checkFinite?: boolean;
}

/** Where each symbolic extent was bound: its value and the input that fixed it. */
export type SymbolBindings = Map<string, { extent: number; input: string }>;

function quoteNames(names: readonly string[]): string {
  return names.length === 0 ? "none" : names.map((n) => `"${n}"`).join(", ");
}

function checkShape(prefix: string, info: ValueInfo, feed: Tensor, bindings: SymbolBindings): void {
  const declared = formatShape(info.shape);
  if (feed.ndim !== info.shape.length) {
    throw new ShapeError(`${prefix}: input "${info.name}" must have rank ${info.shape.length} (shape ${declared}), got ${formatShape(feed.shape)}`);
  }
  info.shape.forEach((dim, axis) => {
    const extent = feed.shape[axis];
    if (typeof dim === "number") {
      if (extent !== dim) {
        throw new ShapeError(`${prefix}: input "${info.name}" axis ${axis} must be ${dim} (shape ${declared}), got ${extent}`);
      }
      return;
    }
    if (isUnknownDim(dim)) return;
    const bound = bindings.get(dim);
    if (bound === undefined) bindings.set(dim, { extent, input: info.name });
    else if (bound.extent !== extent) {
      throw new ShapeError(
        `${prefix}: input "${info.name}" axis ${axis} ("${dim}") is ${extent}, but input "${bound.input}" set "${dim}" to ${bound.extent}`,
      );
    }
  });
}

function checkFinite(prefix: string, name: string, feed: Tensor): void {
  if (!isFloat(feed.dtype)) return;
  const data = feed.data as Float32Array | Float64Array;
  for (let i = 0; i < data.length; i++) {
    if (Number.isFinite(data[i])) continue;
    const index = stridesOf(feed.shape).map((s, axis) => Math.floor(i / s) % feed.shape[axis]);
    throw new ValueError(`${prefix}: input "${name}" holds ${data[i]} at [${index.join(", ")}]`);
  }
}

/**
 * Checks that `feeds` holds exactly the graph's inputs, each a Tensor of the
 * declared dtype and shape, binding each symbolic extent to one value across
 * all inputs. Returns the bindings.
 *
 * @throws {ValueError} for a missing, unknown or non-Tensor feed (or, with `checkFinite`, a NaN/Inf entry).
 * @throws {DTypeError} for a feed of the wrong dtype.
 * @throws {ShapeError} for a wrong rank or extent, naming the input, the axis and both values.
 *
 * @example
 * ```ts
 * checkGraphFeeds(graph, { x: zeros([4, 7]), y: zeros([3, 2]) });
 * // ShapeError: graph "g": input "y" axis 0 ("batch") is 3, but input "x" set "batch" to 4
 * ```
 */
export function checkGraphFeeds(graph: Graph, feeds: Readonly<Record<string, Tensor>>, options: FeedCheckOptions = {}): SymbolBindings {
  const prefix = `graph "${graph.name}"`;
  const declared = graph.inputs.map((i) => i.name);
  const unknown = Object.keys(feeds).filter((name) => !declared.includes(name));
  if (unknown.length > 0) throw new ValueError(`${prefix}: unknown feed ${quoteNames(unknown)}; the inputs are ${quoteNames(declared)}`);
  const bindings: SymbolBindings = new Map();
  for (const info of graph.inputs) {
    const feed = feeds[info.name];
    if (feed === undefined) throw new ValueError(`${prefix}: missing feed for input "${info.name}" (${info.dtype} ${formatShape(info.shape)})`);
    if (!(feed instanceof Tensor)) {
      throw new ValueError(`${prefix}: feed "${info.name}" must be a Tensor, got ${Object.prototype.toString.call(feed)}`);
    }
    if (feed.dtype !== info.dtype) throw new DTypeError(`${prefix}: input "${info.name}" must be ${info.dtype}, got ${feed.dtype}`);
    checkShape(prefix, info, feed, bindings);
    if (options.checkFinite) checkFinite(prefix, info.name, feed);
  }
  return bindings;
}
