import { eliminateCommonSubexpressions } from "./eliminate-common-subexpressions.js";
import { eliminateDeadCode } from "./eliminate-dead-code.js";
import { foldConstants, type FoldConstantsOptions } from "./fold-constants.js";
import { fuseConvBias } from "./fuse-conv-bias.js";
import { fuseRelu } from "./fuse-relu.js";
import { fuseTransposeMatMul } from "./fuse-transpose-matmul.js";
import { hashGraph } from "./hash.js";
import type { Graph } from "./ir.js";

/** The rewrites into fewer, fused operators: values stay the same (up to the rounding of a different summation order). */
function fuse(graph: Graph): Graph {
  return fuseRelu(fuseConvBias(fuseTransposeMatMul(graph)));
}

/** Options of {@link simplify}. */
export type SimplifyOptions = FoldConstantsOptions;

/**
 * Runs dead-code elimination, constant folding, common-subexpression
 * elimination and the folding of Transposes into matrix products
 * ({@link fuseTransposeMatMul}) until none changes the graph's structure
 * (each can enable the others: folding makes equal constants, merging makes
 * nodes dead, and a merged Transpose may have one reader left). Graph
 * inputs and outputs keep their names and types. Runtimes call it before
 * lowering a graph.
 *
 * @example
 * ```ts
 * const lean = simplify(graph);
 * evaluateGraph(lean, feeds); // same values as evaluateGraph(graph, feeds)
 * ```
 */
export function simplify(graph: Graph, options: SimplifyOptions = {}): Graph {
  let current = graph;
  let hash = hashGraph(current);
  for (;;) {
    // Dead code goes first, so folding never evaluates (and never fails on) a node nobody needs.
    const next = fuse(eliminateCommonSubexpressions(foldConstants(eliminateDeadCode(current), options)));
    const nextHash = hashGraph(next);
    if (nextHash === hash) return eliminateDeadCode(next);
    current = next;
    hash = nextHash;
  }
}
