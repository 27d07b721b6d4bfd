import { DTypeError, ShapeError } from "@curv/tensor";
import type { Value } from "../core/value.js";
import { matmul } from "../primitives/matmul.js";
import { oneHot } from "../primitives/one-hot.js";

/**
 * Rows of `weight` (`[numEmbeddings, dim]`) picked by integer `indices`
 * (any shape): `weight[indices]`, of shape `[...indices.shape, dim]`, as
 * PyTorch's `nn.functional.embedding` and ONNX's `Gather(weight, indices)`.
 * It is `oneHot(indices) @ weight`, so its derivative in `weight` is the
 * scatter-add of the output's cotangent and the indices are data (no
 * derivative). An index outside `[0, numEmbeddings)` selects a zero row;
 * check the data first (see `checkTokenIds`) where that matters.
 *
 * @example
 * ```ts
 * const vectors = embeddingLookup(weight, tokens);   // weight [11, 8], tokens int64 [batch, 5] -> [batch, 5, 8]
 * ```
 */
export function embeddingLookup(weight: Value, indices: Value): Value {
  if (weight.rank !== 2) throw new ShapeError(`embeddingLookup: weight must be [numEmbeddings, dim], got rank ${weight.rank}`);
  if (indices.dtype !== "int64" && indices.dtype !== "int32") {
    throw new DTypeError(`embeddingLookup: indices must be int64 or int32, got ${indices.dtype}`);
  }
  const [numEmbeddings] = weight.shape;
  if (typeof numEmbeddings !== "number") throw new ShapeError(`embeddingLookup: the number of embeddings must be static, got "${numEmbeddings}"`);
  return matmul(oneHot(indices, numEmbeddings, weight.dtype), weight);
}
