import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { MissingDatasetError, parseIdx, readFashionMnist } from "./fashion-mnist.js";

function idx(dims: number[], data: number[]): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint8(2, 0x08);
  header.setUint8(3, dims.length);
  dims.forEach((d, i) => header.setUint32(4 + 4 * i, d));
  return new Uint8Array([...new Uint8Array(header.buffer), ...data]);
}

describe("Fashion-MNIST IDX files", () => {
  it("parses the header and data of an IDX file", () => {
    const { dims, data } = parseIdx(idx([2, 1, 3], [1, 2, 3, 4, 5, 6]), 3, "x");
    expect(dims).toEqual([2, 1, 3]);
    expect([...data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => parseIdx(idx([2, 1, 3], [1, 2, 3]), 3, "short.idx")).toThrow(/short.idx: the header promises 6 bytes of data, the file has 3/);
    expect(() => parseIdx(idx([6], [1, 2, 3, 4, 5, 6]), 3, "rank.idx")).toThrow(/not an IDX file/);
  });

  it("reads a split from a folder of gzipped IDX files", () => {
    const dir = mkdtempSync(join(tmpdir(), "fmnist-"));
    writeFileSync(join(dir, "t10k-images-idx3-ubyte.gz"), gzipSync(idx([2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 255])));
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte.gz"), gzipSync(idx([2], [9, 0])));
    const split = readFashionMnist("test", dir);
    expect([split.count, split.rows, split.cols]).toEqual([2, 2, 2]);
    expect([...split.labels]).toEqual([9, 0]);
    expect(split.pixels[7]).toBe(255);
  });

  it("says how to install the data set when it is missing", () => {
    const read = () => readFashionMnist("train", join(tmpdir(), "no-such-fashion-mnist"));
    expect(read).toThrow(MissingDatasetError);
    expect(read).toThrow(/apt-get install dataset-fashion-mnist.*bash scripts\/setup.sh/);
  });
});
