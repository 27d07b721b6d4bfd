/**
 * Recognizing PyTorch layers in an ONNX graph: a Gemm with `transB = 1`
 * whose weight and bias are `P.weight` and `P.bias` is `nn.Linear` P, a Conv
 * with `P.weight` (and `P.bias`) is `nn.Conv2d` P. Curvature approximations
 * that work layer by layer (KFAC, EKFAC, SINGD) find these layers through
 * the layer records the imported model's forward makes.
 */
import type { Graph, Node } from "@curv/tensor";
import type { InitializerRole } from "./initializer-roles.js";

/** A recognized layer: the node that applies it, the scope (dotted path) holding its tensors, and its PyTorch kind. */
export interface RecognizedLayer {
  readonly node: Node;
  readonly scope: readonly string[];
  readonly kind: "Linear" | "Conv2d";
  /** The node's data input. */
  readonly input: string;
}

/** The kind of layer `node` applies, if it is one PyTorch writes this way. */
function kindOf(node: Node): RecognizedLayer["kind"] | undefined {
  const attribute = (name: string, fallback: number) => (node.attributes[name] as number | undefined) ?? fallback;
  if (node.op === "Gemm" && attribute("transA", 0) === 0 && attribute("transB", 0) === 1 && attribute("alpha", 1) === 1 && attribute("beta", 1) === 1) {
    return "Linear";
  }
  if (node.op === "Conv") return "Conv2d";
  return undefined;
}

/**
 * The layers of `graph` whose scope holds exactly their weight (and bias)
 * parameters, each scope used by one node only.
 */
export function recognizeLayers(graph: Graph, roles: ReadonlyMap<string, InitializerRole>): RecognizedLayer[] {
  const parametersByScope = new Map<string, string[]>();
  for (const [name, role] of roles) {
    if (role !== "parameter") continue;
    const scope = name.split(".").slice(0, -1).join(".");
    parametersByScope.set(scope, [...(parametersByScope.get(scope) ?? []), name]);
  }
  const layers: RecognizedLayer[] = [];
  const claimed = new Set<string>();
  for (const node of graph.nodes) {
    const kind = kindOf(node);
    const [input, weight, bias = ""] = node.inputs;
    if (kind === undefined || roles.get(weight) !== "parameter" || !weight.endsWith(".weight")) continue;
    const scope = weight.slice(0, -".weight".length);
    const expected = bias === "" ? [weight] : [weight, bias];
    if (bias !== "" && bias !== `${scope}.bias`) continue;
    const held = parametersByScope.get(scope) ?? [];
    if (claimed.has(scope) || held.length !== expected.length || !expected.every((n) => held.includes(n))) continue;
    claimed.add(scope);
    layers.push({ node, scope: scope.split("."), kind, input });
  }
  // A scope applied by two nodes (shared weights) is not one layer application: leave it generic.
  const usesOf = (scope: string) => graph.nodes.filter((n) => n.inputs.includes(`${scope}.weight`)).length;
  return layers.filter((l) => usesOf(l.scope.join(".")) === 1);
}
