import { readFileSync } from "node:fs";
import { mlpMseFile, readMlpMseGolden } from "@curv/fixtures";
import { Tensor, tensor } from "@curv/tensor";
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { NpyFormatError } from "./npy-error.js";
import { loadNpz, saveNpz } from "./npz.js";
import { saveNpy } from "./save-npy.js";

const readTestFile = (name: string) => new Uint8Array(readFileSync(new URL(`./testdata/${name}`, import.meta.url)));
const golden = readMlpMseGolden();

describe("loadNpz", () => {
  it("reads the fixture's data set: X and y of both batches, as the golden JSON has them", () => {
    const { X, y, ...rest } = loadNpz(mlpMseFile("mlp-mse.data.npz"));
    expect(Object.keys(rest)).toEqual([]);
    expect([X.dtype, X.shape]).toEqual(["float32", [8, 7]]);
    expect([y.dtype, y.shape]).toEqual(["float32", [8, 3]]);
    // The JSON holds the float32 values widened to float64, so equality is exact.
    expect(Array.from(X.data as Float32Array)).toEqual(golden.data.batches.flatMap((b) => b.X.data));
    expect(Array.from(y.data as Float32Array)).toEqual(golden.data.batches.flatMap((b) => b.y.data));
  });

  it("reads deflated entries (numpy.savez_compressed)", () => {
    const { weights, labels } = loadNpz(readTestFile("deflated.npz"));
    expect(weights.shape).toEqual([2, 3]);
    expect(Array.from(weights.data as Float32Array)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(labels.dtype).toBe("int64");
    expect(Array.from(labels.data as BigInt64Array)).toEqual([2n, 0n, 1n]);
  });
});

describe("saveNpz", () => {
  const arrays = {
    theta: tensor([0.25, -1, 3], { dtype: "float64" }),
    labels: new Tensor("int64", [2], new BigInt64Array([4n, 1n])),
    mask: new Tensor("bool", [1, 2], new Uint8Array([0, 1])),
  };

  it.each([{ compressed: false }, { compressed: true }])("round-trips names, order, dtypes and values (compressed: $compressed)", (options) => {
    const back = loadNpz(saveNpz(arrays, options));
    expect(Object.keys(back)).toEqual(["theta", "labels", "mask"]);
    for (const [name, value] of Object.entries(arrays)) {
      expect(back[name].dtype).toBe(value.dtype);
      expect(back[name].shape).toEqual(value.shape);
      expect(back[name].data).toEqual(value.data);
    }
  });

  it("compresses when asked: a long run of zeros deflates to much fewer bytes", () => {
    const zeros = { zeros: new Tensor("float64", [4096]) };
    expect(saveNpz(zeros, { compressed: true }).length * 10).toBeLessThan(saveNpz(zeros).length);
  });

  it("writes the same bytes for the same arrays (no timestamps)", () => {
    expect(saveNpz(arrays)).toEqual(saveNpz(arrays));
  });

  it.each<{ problem: string; arrays: Record<string, Tensor>; message: RegExp }>([
    { problem: "an empty name", arrays: { "": tensor([1]) }, message: /names must be non-empty/ },
    { problem: "a value that is not a tensor", arrays: { x: [1, 2] as unknown as Tensor }, message: /"x" must be a Tensor, got \[object Array\]/ },
  ])("refuses $problem", ({ arrays: bad, message }) => {
    expect(() => saveNpz(bad)).toThrow(NpyFormatError);
    expect(() => saveNpz(bad)).toThrow(message);
  });
});

describe("loadNpz errors", () => {
  const fixture = mlpMseFile("mlp-mse.data.npz");
  it.each([
    { problem: "a truncated archive", bytes: fixture.subarray(0, 300), message: /could not read \.npz archive: .*truncated, corrupt or not a zip file/ },
    { problem: "bytes that are not a zip file", bytes: new Uint8Array(64).fill(7), message: /could not read \.npz archive/ },
    { problem: "an entry that is not .npy", bytes: zipSync({ "notes.txt": new Uint8Array([104, 105]) }), message: /entry "notes\.txt" is not a \.npy file/ },
    { problem: "a corrupt entry", bytes: zipSync({ "w.npy": saveNpy(tensor([1, 2, 3])).subarray(0, 130) }), message: /entry "w\.npy": \.npy file is truncated/ },
  ])("$problem", ({ bytes, message }) => {
    expect(() => loadNpz(bytes)).toThrow(NpyFormatError);
    expect(() => loadNpz(bytes)).toThrow(message);
  });

  it("refuses something other than bytes", () => {
    expect(() => loadNpz("X.npy" as unknown as Uint8Array)).toThrow(/expected the archive bytes as a Uint8Array/);
  });
});
