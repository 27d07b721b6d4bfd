/**
 * Fashion-MNIST (Xiao et al. 2017) from Debian's `dataset-fashion-mnist`:
 * 60,000 training and 10,000 test images of 28 × 28 grey values with labels
 * 0-9, in gzipped IDX files under /usr/share/datasets/fashion-mnist/.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { ValueError } from "@curv/tensor";

/** Where Debian's package puts the files. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/** The ten classes, by label. */
export const FASHION_MNIST_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"] as const;

/** One split: `count` images of `rows × cols` bytes (row-major, 0 = black) and their labels. */
export interface FashionMnistSplit {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

/** A missing data set: says how to install it. */
export class MissingDatasetError extends ValueError {}

const FILES = {
  train: ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"],
  test: ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"],
} as const;

/**
 * Reads one split from `dir`.
 *
 * @throws MissingDatasetError naming the missing file and how to install it.
 * @throws ValueError for a file that is not the IDX file it should be.
 */
export function readFashionMnist(split: "train" | "test", dir = FASHION_MNIST_DIR): FashionMnistSplit {
  const [imageFile, labelFile] = FILES[split].map((name) => join(dir, name));
  for (const file of [imageFile, labelFile]) {
    if (!existsSync(file)) {
      throw new MissingDatasetError(
        `Fashion-MNIST is missing: ${file} does not exist. Install Debian's package as root (apt-get install dataset-fashion-mnist), or run bash scripts/setup.sh as root.`,
      );
    }
  }
  const images = parseIdx(gunzipSync(readFileSync(imageFile)), 3, imageFile);
  const labels = parseIdx(gunzipSync(readFileSync(labelFile)), 1, labelFile);
  if (images.dims[0] !== labels.dims[0]) throw new ValueError(`${imageFile} holds ${images.dims[0]} images but ${labelFile} ${labels.dims[0]} labels`);
  const bad = labels.data.findIndex((l) => l > 9);
  if (bad >= 0) throw new ValueError(`${labelFile}: label ${labels.data[bad]} at ${bad} is not a class 0-9`);
  return { count: images.dims[0], rows: images.dims[1], cols: images.dims[2], pixels: images.data, labels: labels.data };
}

/**
 * An IDX file of unsigned bytes (LeCun's format): magic 0x0000 08 `rank`,
 * then `rank` big-endian uint32 extents, then the data.
 */
export function parseIdx(bytes: Uint8Array, rank: number, what: string): { dims: number[]; data: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = 4 + 4 * rank;
  if (bytes.length < header || view.getUint16(0) !== 0 || bytes[2] !== 0x08 || bytes[3] !== rank) {
    throw new ValueError(`${what}: not an IDX file of unsigned bytes with ${rank} dimension(s)`);
  }
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== header + size) throw new ValueError(`${what}: the header promises ${size} bytes of data, the file has ${bytes.length - header}`);
  return { dims, data: bytes.subarray(header, header + size) };
}
