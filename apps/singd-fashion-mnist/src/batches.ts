/**
 * Fashion-MNIST as tensors: images scaled to [0, 1] and standardized with
 * the training set's mean and standard deviation (0.2860, 0.3530, the usual
 * constants), labels as int64; the training order is a seeded permutation per
 * epoch, so every optimizer sees the same batches.
 */
import { Generator, Tensor } from "@curv/tensor";
import type { FashionMnistSplit } from "./fashion-mnist.js";

export const PIXEL_MEAN = 0.286;
export const PIXEL_STD = 0.353;

/** `[X, y]` of examples `indices` of `split`: X [n, 1, 28, 28] float32, y [n] int64. */
export function batchOf(split: FashionMnistSplit, indices: ArrayLike<number>): [Tensor<"float32">, Tensor<"int64">] {
  const pixelsPerImage = split.rows * split.cols;
  const X = new Float32Array(indices.length * pixelsPerImage);
  const y = new BigInt64Array(indices.length);
  // Each operation rounded to float32, as NumPy's float32 arithmetic in the PyTorch script does, so both sides see the same bits.
  const [mean, std] = [Math.fround(PIXEL_MEAN), Math.fround(PIXEL_STD)];
  for (let n = 0; n < indices.length; n++) {
    const offset = indices[n] * pixelsPerImage;
    for (let p = 0; p < pixelsPerImage; p++) X[n * pixelsPerImage + p] = Math.fround(Math.fround(split.pixels[offset + p] / 255) - mean) / std;
    y[n] = BigInt(split.labels[indices[n]]);
  }
  return [new Tensor("float32", [indices.length, 1, split.rows, split.cols], X), new Tensor("int64", [indices.length], y)];
}

/** The training order of each epoch: a Fisher-Yates permutation of 0..count-1 from one generator seeded with `seed`. */
export function epochOrders(count: number, epochs: number, seed: number): Int32Array[] {
  const generator = new Generator(seed);
  return Array.from({ length: epochs }, () => {
    const order = Int32Array.from({ length: count }, (_, i) => i);
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(generator.nextDouble() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  });
}

/** The batches of one epoch: consecutive slices of `order` of `batchSize` (the last one may be smaller). */
export function* batchIndices(order: Int32Array, batchSize: number): IterableIterator<Int32Array> {
  for (let start = 0; start < order.length; start += batchSize) yield order.subarray(start, Math.min(order.length, start + batchSize));
}
