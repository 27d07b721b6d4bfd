/**
 * A Kronecker-factored layer's parameters as the matrix `V = [W | b]`
 * (`d_out × s_A`, the weight flattened to `[d_out, D_in]`, the bias as last
 * column), and the permutation between that joint (row-major) order and
 * NNGeometry's split order `[W flat, b]`.
 */
import type { LayerCollection, LayerDescriptor } from "../layers/layer-collection.js";
import { matrix, type Matrix } from "../linalg/matrix.js";

/** A layer's Kronecker sizes. */
export interface KroneckerShape {
  /** d_out: the weight's first extent, the size of G. */
  readonly sG: number;
  /** D_in: the weight's other extents flattened. */
  readonly inFeatures: number;
  /** s_A = D_in (+1 with a bias), the size of A. */
  readonly sA: number;
  readonly hasBias: boolean;
}

export function kroneckerShape(layer: LayerDescriptor): KroneckerShape {
  const [sG, ...rest] = layer.weight.shape;
  const inFeatures = rest.reduce((a, b) => a * b, 1);
  const hasBias = layer.bias !== undefined;
  return { sG, inFeatures, sA: inFeatures + (hasBias ? 1 : 0), hasBias };
}

/** The split-order index of joint entry `(o, a)`. */
export function splitIndex(shape: KroneckerShape, o: number, a: number): number {
  return a < shape.inFeatures ? o * shape.inFeatures + a : shape.sG * shape.inFeatures + o;
}

/** `V = [W | b]` from a layer's slice of a flat vector (split order). */
export function toJoint(shape: KroneckerShape, part: ArrayLike<number>): Matrix {
  const v = matrix(shape.sG, shape.sA);
  for (let o = 0; o < shape.sG; o++) for (let a = 0; a < shape.sA; a++) v.data[o * shape.sA + a] = part[splitIndex(shape, o, a)];
  return v;
}

/** A layer's slice (split order) from `V = [W | b]`. */
export function fromJoint(shape: KroneckerShape, v: Matrix): Float64Array {
  const out = new Float64Array(shape.sG * shape.sA);
  for (let o = 0; o < shape.sG; o++) for (let a = 0; a < shape.sA; a++) out[splitIndex(shape, o, a)] = v.data[o * shape.sA + a];
  return out;
}

/** A joint-order `[n, n]` block (n = sG·sA) permuted to split order. */
export function jointToSplit(shape: KroneckerShape, block: Matrix): Matrix {
  const n = shape.sG * shape.sA;
  const index = new Int32Array(n);
  for (let o = 0; o < shape.sG; o++) for (let a = 0; a < shape.sA; a++) index[o * shape.sA + a] = splitIndex(shape, o, a);
  const out = matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.data[index[i] * n + index[j]] = block.data[i * n + j];
  return out;
}

/**
 * The P × P block-diagonal matrix of per-layer Kronecker-factored blocks
 * (PMatKFAC's `kron(G, A)`, PMatEKFAC's eigenbasis form), each given in the
 * joint `[W | b]` order and placed in NNGeometry's split order `[W flat, b]`
 * when `split`.
 */
export function denseKroneckerBlocks(layerCollection: LayerCollection, jointBlock: (layer: LayerDescriptor) => { shape: KroneckerShape; joint: Matrix }, split: boolean): Matrix {
  const p = layerCollection.numel();
  const out = matrix(p, p);
  for (const layer of layerCollection.layers) {
    const start = layerCollection.getLayerStart(layer.id);
    const { shape, joint } = jointBlock(layer);
    const block = split ? jointToSplit(shape, joint) : joint;
    const n = layer.numel;
    for (let i = 0; i < n; i++) out.data.set(block.data.subarray(i * n, (i + 1) * n), (start + i) * p + start);
  }
  return out;
}
