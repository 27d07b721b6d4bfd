/**
 * Transposes folded into matrix products. Reverse-mode derivatives of a
 * linear layer `x W^T` produce `Transpose(W)` feeding a MatMul, weight
 * gradients computed as `(x^T g)` and then transposed back, and sums of such
 * products transposed as a whole. Each of those Transposes copies a matrix
 * as big as a weight; this pass removes them with three identities:
 *
 * - `(A^T)^T = A`, and consecutive Transposes compose into one;
 * - `(A B)^T = B^T A^T` (a Transpose of a product whose operand is itself
 *   transposed is pushed into it, through sums of such products);
 * - a 2-D MatMul of a transposed operand is a Gemm with `transA`/`transB`,
 *   and a bias added to a Gemm is its `C`.
 *
 * Values are unchanged up to the rounding of a different summation order
 * (none for Transposes, which only move entries).
 */
import { GraphFacts, isSwapLastTwo, nodeOf as node, permutationOf, swapLastTwo } from "./graph-facts.js";
import type { Graph, Node } from "./ir.js";

/**
 * Whether the transpose (last two axes) of `name` costs no new copy of it:
 * `name` is a transposed value, a product with a transposed operand, or a
 * sum or difference (without broadcasting) of such values, each read only
 * here.
 */
function transposesFreely(facts: GraphFacts, name: string): boolean {
  if (facts.swappedFrom(name) !== undefined) return true;
  const producer = facts.producers.get(name);
  if (producer === undefined || !facts.readOnce(name) || facts.rank(name) < 2) return false;
  const [a, b] = producer.inputs;
  if (producer.op === "MatMul") {
    return facts.rank(a) >= 2 && facts.rank(b) >= 2 && (facts.swappedFrom(a) !== undefined || facts.swappedFrom(b) !== undefined);
  }
  if (producer.op === "Add" || producer.op === "Sub") {
    const sameShape = (operand: string) => facts.rank(operand) === facts.rank(name) && facts.types.get(operand)!.shape.every((d, i) => d === facts.types.get(name)!.shape[i]);
    return sameShape(a) && sameShape(b) && transposesFreely(facts, a) && transposesFreely(facts, b);
  }
  return false;
}

/** Emits nodes computing the transpose of `name` (which {@link transposesFreely}) into `output`, or a fresh name; returns that name. */
function emitTransposed(facts: GraphFacts, name: string, nodes: Node[], output?: string): string {
  const source = facts.swappedFrom(name);
  if (source !== undefined && output === undefined) return source;
  const producer = facts.producers.get(name)!;
  const target = output ?? facts.fresh(name);
  if (producer.op === "MatMul") {
    const [a, b] = producer.inputs;
    const swapped = (operand: string) => {
      const from = facts.swappedFrom(operand);
      if (from !== undefined) return from;
      const fresh = facts.fresh(operand);
      nodes.push(node("Transpose", [operand], [fresh], { perm: swapLastTwo(facts.rank(operand)) }));
      return fresh;
    };
    nodes.push(node("MatMul", [swapped(b), swapped(a)], [target]));
  } else {
    const [a, b] = producer.inputs.map((operand) => emitTransposed(facts, operand, nodes));
    nodes.push(node(producer.op, [a, b], [target]));
  }
  return target;
}

/** Consecutive Transposes composed (an Identity where they cancel); a Transpose of a product pushed into its operands. */
function pushTransposesIntoProducts(graph: Graph): Graph {
  const facts = new GraphFacts(graph);
  const nodes: Node[] = [];
  for (const current of graph.nodes) {
    if (current.op !== "Transpose") {
      nodes.push(current);
      continue;
    }
    const [input] = current.inputs;
    const inner = facts.producers.get(input);
    const [output] = current.outputs;
    if (inner?.op === "Transpose") {
      const first = permutationOf(inner, facts.rank(inner.inputs[0]));
      const composed = permutationOf(current, first.length).map((axis) => first[axis]);
      const identity = composed.every((axis, i) => axis === i);
      nodes.push(identity ? node("Identity", [inner.inputs[0]], [output]) : node("Transpose", [inner.inputs[0]], [output], { perm: composed }));
    } else if (isSwapLastTwo(permutationOf(current, facts.rank(input))) && inner !== undefined && transposesFreely(facts, input)) {
      emitTransposed(facts, input, nodes, output);
    } else {
      nodes.push(current);
    }
  }
  return { ...graph, nodes };
}

/** 2-D MatMuls of a transposed operand as Gemms that read the operand as it is. */
function matMulsToGemms(graph: Graph): Graph {
  const facts = new GraphFacts(graph);
  const nodes = graph.nodes.map((current) => {
    if (current.op !== "MatMul") return current;
    const [a, b] = current.inputs;
    if (facts.rank(a) !== 2 || facts.rank(b) !== 2) return current;
    const fromA = facts.swappedFrom(a);
    const fromB = facts.swappedFrom(b);
    if (fromA === undefined && fromB === undefined) return current;
    return node("Gemm", [fromA ?? a, fromB ?? b], current.outputs, { transA: fromA === undefined ? 0 : 1, transB: fromB === undefined ? 0 : 1 });
  });
  return { ...graph, nodes };
}

/** Whether `bias` broadcasts to the `[M, N]` result of a Gemm one way (each extent 1 or equal), as Gemm's `C` must. */
function fitsGemmBias(facts: GraphFacts, bias: string, result: string): boolean {
  const shape = facts.types.get(bias)!.shape;
  const out = facts.types.get(result)!.shape;
  return shape.length <= 2 && shape.every((d, i) => d === 1 || d === out[out.length - shape.length + i]);
}

/** `Add(Gemm(A, B), C)` (either order) as `Gemm(A, B, C)`, where the Gemm has no `C`, unit scales and no other reader. */
function biasesIntoGemms(graph: Graph): Graph {
  const facts = new GraphFacts(graph);
  const nodes = graph.nodes.map((current) => {
    if (current.op !== "Add") return current;
    for (const [k, name] of current.inputs.entries()) {
      const gemm = facts.producers.get(name);
      const bias = current.inputs[1 - k];
      if (gemm?.op !== "Gemm" || gemm.inputs.length !== 2 || !facts.readOnce(name)) continue;
      if ((gemm.attributes.alpha ?? 1) !== 1 || (gemm.attributes.beta ?? 1) !== 1) continue;
      if (!fitsGemmBias(facts, bias, name) || facts.types.get(bias)!.dtype !== facts.types.get(name)!.dtype) continue;
      return node("Gemm", [...gemm.inputs, bias], current.outputs, { ...gemm.attributes });
    }
    return current;
  });
  return { ...graph, nodes };
}

/**
 * `graph` with Transposes folded into matrix products (see the module
 * comment); nodes left unread are not removed (dead-code elimination does
 * that). Inputs, outputs and their names stay.
 *
 * @example
 * ```ts
 * // Transpose(MatMul(Transpose(x), g)) becomes Gemm(g, x, transA=1).
 * eliminateDeadCode(fuseTransposeMatMul(graph)).nodes.map((n) => n.op); // ["Gemm"]
 * ```
 */
export function fuseTransposeMatMul(graph: Graph): Graph {
  return biasesIntoGemms(matMulsToGemms(pushTransposesIntoProducts(graph)));
}
