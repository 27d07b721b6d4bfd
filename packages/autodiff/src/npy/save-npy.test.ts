import { readFileSync } from "node:fs";
import { Tensor, tensor, type DType } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { loadNpy } from "./load-npy.js";
import { saveNpy } from "./save-npy.js";

const readTestFile = (name: string) => new Uint8Array(readFileSync(new URL(`./testdata/${name}`, import.meta.url)));

const ROUND_TRIPS: { name: string; value: Tensor }[] = [
  { name: "float32 matrix", value: tensor([[1.5, -2], [3, 1e-3]], { dtype: "float32" }) },
  { name: "float64 with extremes", value: tensor([0, -0, 1e-308, -1.7976931348623157e308, Number.NaN, Infinity], { dtype: "float64" }) },
  { name: "int32", value: tensor([-(2 ** 31), 2 ** 31 - 1, 0], { dtype: "int32" }) },
  { name: "int64 beyond 2^53", value: new Tensor("int64", [2], new BigInt64Array([2n ** 62n + 1n, -(2n ** 63n)])) },
  { name: "bool", value: new Tensor("bool", [2, 2], new Uint8Array([1, 0, 0, 1])) },
  { name: "scalar", value: tensor([7], { dtype: "float64", shape: [] }) },
  { name: "empty", value: new Tensor("float32", [0, 5]) },
  { name: "rank 4", value: new Tensor("float64", [2, 1, 3, 2], Float64Array.from({ length: 12 }, (_, i) => i / 7)) },
];

describe("saveNpy", () => {
  it.each(ROUND_TRIPS)("round-trips $name bit-exactly", ({ value }) => {
    const back = loadNpy(saveNpy(value));
    expect(back.dtype).toBe(value.dtype);
    expect(back.shape).toEqual(value.shape);
    const bytesOf = (t: Tensor) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    expect(bytesOf(back)).toEqual(bytesOf(value));
  });

  it.each<[DType, string]>([
    ["float32", "f4-empty.npy"], ["float64", "f8-scalar.npy"], ["int32", "i4.npy"], ["int64", "i8.npy"], ["bool", "b1.npy"],
  ])(
    "writes %s exactly as numpy.save does (%s)",
    (_, file) => {
      const numpyBytes = readTestFile(file);
      expect(saveNpy(loadNpy(numpyBytes))).toEqual(numpyBytes);
    },
  );

  it("pads the header so the data starts at a multiple of 64 bytes", () => {
    const bytes = saveNpy(new Tensor("float32", [3, 1, 4, 1, 5, 9, 2, 6]));
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0);
    expect(bytes[10 + headerLength - 1]).toBe(0x0a); // the header ends in a newline
  });

  it("switches to format 2.0 when the header outgrows 64 KiB, as NumPy does", () => {
    const manyAxes = new Tensor("float32", new Array<number>(25_000).fill(1), new Float32Array([4.5]));
    const bytes = saveNpy(manyAxes);
    expect(bytes[6]).toBe(2);
    const back = loadNpy(bytes);
    expect(back.shape).toEqual(manyAxes.shape);
    expect(back.data[0]).toBe(4.5);
  });

  it("refuses something other than a tensor", () => {
    expect(() => saveNpy({ dtype: "float32", shape: [1], data: new Float32Array(1) } as unknown as Tensor)).toThrow(/saveNpy: expected a Tensor/);
  });
});
