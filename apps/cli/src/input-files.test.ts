import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { saveNpy, saveNpz } from "@curv/autodiff";
import { mlpMsePath } from "@curv/fixtures";
import { ShapeError, tensor, Tensor } from "@curv/tensor";
import { InputFileError } from "./cli-errors.js";
import { batchesOf, readData, readModel, readVector } from "./input-files.js";

const modelPath = mlpMsePath("mlp-mse.onnx");
const dataPath = mlpMsePath("mlp-mse.data.npz");
const scratch = mkdtempSync(join(tmpdir(), "curv-cli-inputs-"));

function writeScratch(name: string, bytes: Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  return path;
}

const range = (rows: number, cols: number) => new Tensor("float32", [rows, cols], Float32Array.from({ length: rows * cols }, (_, i) => i));

describe("readModel", () => {
  it("imports the fixture's MLP with its initializers as parameters, in the dtype asked for", () => {
    const model = readModel(modelPath, "float64");
    expect(model.namedParameters().map(([name, p]) => [name, p.dtype])).toEqual(
      ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"].map((name) => [name, "float64"]),
    );
  });

  it.each([
    ["a missing file", join(scratch, "absent.onnx"), /^--model .*absent\.onnx: no such file$/],
    ["a folder", scratch, /: is a folder, not a regular file$/],
    ["bytes that are not ONNX", writeScratch("garbage.onnx", new Uint8Array([1, 2, 3, 4, 5])), /^--model .*garbage\.onnx: /],
  ])("names --model and the file for %s", (_, path, message) => {
    expect(() => readModel(path, "float32")).toThrow(InputFileError);
    expect(() => readModel(path, "float32")).toThrow(message);
  });
});

describe("readData", () => {
  it("reads X and y of the fixture and converts float arrays to the dtype asked for", () => {
    const { X, y } = readData(dataPath, "float64", ["batch", 7]);
    expect([X.dtype, X.shape, y.dtype, y.shape]).toEqual(["float64", [8, 7], "float64", [8, 3]]);
  });

  it("keeps integer targets (class indices) as they are", () => {
    const path = writeScratch("classes.npz", saveNpz({ X: range(3, 2), y: tensor([0, 2, 1], { dtype: "int64" }) }));
    expect(readData(path, "float64", ["batch", 2]).y.dtype).toBe("int64");
  });

  it.each([
    ["a missing file", join(scratch, "absent.npz"), InputFileError, /^--data .*absent\.npz: no such file$/],
    ["a file that is not an archive", writeScratch("garbage.npz", new Uint8Array([9, 9, 9])), InputFileError, /^--data .*garbage\.npz: could not read \.npz archive/],
    ["a missing y", writeScratch("no-y.npz", saveNpz({ X: range(3, 7), labels: range(3, 1) })), InputFileError, /no array "y" \(it holds "X", "labels"; expected X and y\)/],
    ["X with the wrong features", writeScratch("wide.npz", saveNpz({ X: range(3, 6), y: range(3, 3) })), ShapeError, /X has shape \[3, 6\], but the model's input is \[batch, 7\]/],
    ["y with other rows than X", writeScratch("rows.npz", saveNpz({ X: range(3, 7), y: range(2, 3) })), ShapeError, /X has 3 examples \(shape \[3, 7\]\) but y has shape \[2, 3\]/],
  ])("rejects %s", (_, path, ErrorClass, message) => {
    expect(() => readData(path, "float32", ["batch", 7])).toThrow(ErrorClass);
    expect(() => readData(path, "float32", ["batch", 7])).toThrow(message);
  });
});

describe("batchesOf", () => {
  const X = range(10, 2);
  const y = range(10, 1);

  it("cuts consecutive batches in order, the last one smaller", () => {
    const batches = batchesOf(X, y, 4);
    expect(batches.map(([Xb, yb]) => [Xb.shape[0], yb.shape[0]])).toEqual([[4, 4], [4, 4], [2, 2]]);
    expect(batches.flatMap(([Xb]) => Xb.toArray())).toEqual(X.toArray());
    expect(batches.flatMap(([, yb]) => yb.toArray())).toEqual(y.toArray());
  });

  it("keeps everything in one batch without a batch size, and when it exceeds N", () => {
    expect(batchesOf(X, y, undefined).map(([Xb]) => Xb.shape)).toEqual([[10, 2]]);
    expect(batchesOf(X, y, 64).map(([Xb]) => Xb.shape)).toEqual([[10, 2]]);
  });
});

describe("readVector", () => {
  it("reads [P] and [P, K] float arrays in the dtype asked for", () => {
    const v = readVector(writeScratch("v.npy", saveNpy(tensor([1, 2, 3], { dtype: "float32" }))), 3, "float64");
    expect([v.dtype, v.toArray()]).toEqual(["float64", [1, 2, 3]]);
    expect(readVector(writeScratch("m.npy", saveNpy(range(3, 2))), 3, "float32").shape).toEqual([3, 2]);
  });

  it.each([
    ["a missing file", join(scratch, "absent.npy"), InputFileError, /^--vector .*absent\.npy: no such file$/],
    ["the wrong length", writeScratch("short.npy", saveNpy(tensor([1, 2], { dtype: "float32" }))), ShapeError, /expected shape \[3\] or \[3, K\] \(P = 3 parameters\), got \[2\]/],
    ["integers", writeScratch("ints.npy", saveNpy(tensor([1, 2, 3], { dtype: "int32" }))), InputFileError, /expected a float array, got int32/],
  ])("rejects %s", (_, path, ErrorClass, message) => {
    expect(() => readVector(path, 3, "float32")).toThrow(ErrorClass);
    expect(() => readVector(path, 3, "float32")).toThrow(message);
  });
});
