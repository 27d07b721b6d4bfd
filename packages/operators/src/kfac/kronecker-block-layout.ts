/**
 * Where each Kronecker block of KFAC sits in parameter space: one block per
 * layer for `[W | b]` flattened row-major (a weight row followed by its bias
 * entry: DESIGN.md's `kron(G, A)` convention), or separate weight and bias
 * blocks (curvlinops' default).
 */
import { sizeOf, type Shape } from "@curv/tensor";
import type { KFACLayer } from "./kfac-layers.js";

/** One diagonal block: which layer, which of its parameters, and its positions in parameter space, in block order. */
export interface KroneckerBlock {
  readonly layerIndex: number;
  /** `"joint"`: `[W | b]` with `G ⊗ A`; `"weight"`: `G ⊗ A`; `"bias"`: G alone. */
  readonly role: "joint" | "weight" | "bias";
  readonly positions: readonly number[];
}

/** The blocks in layer order, and the permutation from block order to parameter order. */
export interface KroneckerBlockLayout {
  readonly blocks: readonly KroneckerBlock[];
  readonly order: Int32Array;
}

/**
 * The layout for `layers`, with the operator's parameters `names` (shapes
 * `shapes`) in the operator's order. Every name must belong to one of the layers.
 */
export function kroneckerBlockLayout(layers: readonly KFACLayer[], names: readonly string[], shapes: readonly Shape[], separateWeightAndBias: boolean): KroneckerBlockLayout {
  const offsets = new Map<string, number>();
  let offset = 0;
  names.forEach((name, i) => {
    offsets.set(name, offset);
    offset += sizeOf(shapes[i]);
  });
  const shapeOf = (name: string) => shapes[names.indexOf(name)];
  const range = (start: number, length: number) => Array.from({ length }, (_, i) => start + i);
  const blocks: KroneckerBlock[] = [];
  layers.forEach((layer, layerIndex) => {
    const { weight, bias } = layer;
    if (weight !== undefined && bias !== undefined && !separateWeightAndBias) {
      // Row i of [W | b]: the i-th row of the (flattened) weight, then b_i.
      const [rows] = shapeOf(weight);
      const columns = sizeOf(shapeOf(weight)) / rows;
      const [w, b] = [offsets.get(weight)!, offsets.get(bias)!];
      const positions = Array.from({ length: rows }, (_, i) => [...range(w + i * columns, columns), b + i]).flat();
      blocks.push({ layerIndex, role: "joint", positions });
      return;
    }
    if (weight !== undefined && layer.kind === "Embedding") {
      // The weight is [V, d] (Wᵀ of a Linear on one-hot rows): G ⊗ A indexes (j, v), parameter v d + j.
      const [V, d] = shapeOf(weight);
      const w = offsets.get(weight)!;
      blocks.push({ layerIndex, role: "weight", positions: Array.from({ length: V * d }, (_, i) => w + (i % V) * d + Math.floor(i / V)) });
    } else if (weight !== undefined) blocks.push({ layerIndex, role: "weight", positions: range(offsets.get(weight)!, sizeOf(shapeOf(weight))) });
    if (bias !== undefined) blocks.push({ layerIndex, role: "bias", positions: range(offsets.get(bias)!, sizeOf(shapeOf(bias))) });
  });
  return { blocks, order: Int32Array.from(blocks.flatMap((b) => b.positions)) };
}
