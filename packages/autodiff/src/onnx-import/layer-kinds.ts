/**
 * Recognizing PyTorch layers in an ONNX graph: a Gemm with `transB = 1`
 * whose weight and bias are `P.weight` and `P.bias` is `nn.Linear` P, and so
 * is `Add(P.bias, MatMul(x, Transpose(P.weight)))` (what torch.onnx.export
 * writes for a Linear on inputs of rank 3, such as a Transformer's
 * feed-forward layers); a Conv with `P.weight` (and `P.bias`) is `nn.Conv2d` P. Curvature approximations
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

/** A node applying a layer: its data input, weight and bias (`""` for none). */
interface LayerApplication {
  readonly node: Node;
  readonly kind: RecognizedLayer["kind"];
  readonly input: string;
  readonly weight: string;
  readonly bias: string;
}

/**
 * `Add(b, MatMul(x, Transpose(W)))` (either Add order), or the MatMul alone
 * when no Add of a bias follows, as a Linear application ending at its last node.
 */
function matMulLinears(graph: Graph): LayerApplication[] {
  const producer = new Map(graph.nodes.flatMap((n) => n.outputs.map((o): [string, Node] => [o, n])));
  const consumers = (name: string) => graph.nodes.filter((n) => n.inputs.includes(name));
  const found: LayerApplication[] = [];
  for (const node of graph.nodes) {
    if (node.op !== "MatMul") continue;
    const [x, transposed] = node.inputs;
    const t = producer.get(transposed);
    const perm = t?.attributes.perm as number[] | undefined;
    if (t === undefined || t.op !== "Transpose" || perm?.length !== 2 || perm[0] !== 1 || perm[1] !== 0 || !graph.constants.has(t.inputs[0])) continue;
    const weight = t.inputs[0];
    const [add] = consumers(node.outputs[0]);
    const bias = add?.op === "Add" && consumers(node.outputs[0]).length === 1 ? add.inputs.find((i) => i !== node.outputs[0]) ?? "" : "";
    const withBias = bias !== "" && graph.constants.has(bias);
    found.push({ node: withBias ? add : node, kind: "Linear", input: x, weight, bias: withBias ? bias : "" });
  }
  return found;
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
  const applications: LayerApplication[] = [
    ...graph.nodes.flatMap((node): LayerApplication[] => {
      const kind = kindOf(node);
      const [input, weight, bias = ""] = node.inputs;
      return kind === undefined ? [] : [{ node, kind, input, weight, bias }];
    }),
    ...matMulLinears(graph),
  ];
  for (const { node, kind, input, weight, bias } of applications) {
    if (roles.get(weight) !== "parameter" || !weight.endsWith(".weight")) continue;
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
