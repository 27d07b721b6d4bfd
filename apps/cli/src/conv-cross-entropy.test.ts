// The CLI on a model the fixture does not cover: a small CNN with
// cross-entropy and integer labels, exported to ONNX, against the same
// operators run on the nn model directly (no ONNX file, no .npz, no batching
// by the CLI), in float64 on the js runtime.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Conv2d, CrossEntropyLoss, Flatten, Linear, loadNpy, ReLU, saveNpz, Sequential, Sigmoid, toOnnx } from "@curv/autodiff";
import { EFLinearOperator, GGNLinearOperator, HessianLinearOperator } from "@curv/operators";
import { Generator } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { runCli } from "./run-cli.js";

const generator = new Generator(5);
const model = new Sequential(
  new Conv2d(1, 2, 3, { padding: 1, generator, dtype: "float64" }),
  new ReLU(),
  new Conv2d(2, 1, 3, { padding: 1, stride: 2, generator, dtype: "float64" }),
  new Sigmoid(),
  new Flatten(),
  new Linear(4, 3, { generator, dtype: "float64" }),
);
const X = generator.uniform([5, 1, 4, 4], { dtype: "float64" });
const y = generator.integers(0, 3, [5], "int64");
const scratch = mkdtempSync(join(tmpdir(), "curv-cli-cnn-"));
const modelPath = join(scratch, "cnn.onnx");
const dataPath = join(scratch, "cnn.npz");
writeFileSync(modelPath, toOnnx(model, { dtype: "float64", shape: ["batch", 1, 4, 4] }));
writeFileSync(dataPath, saveNpz({ X, y }));

// The CLI cuts batches of 2 (2, 2, 1); the direct operators get the same batches.
const batches: [typeof X, typeof y][] = [[X.slice([0, 2]), y.slice([0, 2])], [X.slice([2, 4]), y.slice([2, 4])], [X.slice([4, 5]), y.slice([4, 5])]];
const params = model.namedParameters().map(([name]) => name);
const direct = {
  hessian: () => new HessianLinearOperator(model, new CrossEntropyLoss(), params, batches, { runtime: "js" }),
  ggn: () => new GGNLinearOperator(model, new CrossEntropyLoss(), params, batches, { runtime: "js" }),
  ef: () => new EFLinearOperator(model, new CrossEntropyLoss(), params, batches, { runtime: "js" }),
};

describe("curv matrix on an exported CNN with cross-entropy and class labels", () => {
  it.each(["hessian", "ggn", "ef"] as const)("--kind %s equals the operator on the nn model", async (kind) => {
    const out = join(scratch, `${kind}.npy`);
    const stderr: string[] = [];
    const code = await runCli(
      ["matrix", "--model", modelPath, "--data", dataPath, "--loss", "cross-entropy", "--batch-size", "2", "--kind", kind, "--provider", "js", "--dtype", "float64", "--out", out],
      { stdout: () => {}, stderr: (line) => stderr.push(line) },
    );
    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    const report = compare(loadNpy(new Uint8Array(readFileSync(out))), await direct[kind]().toDense(), { rtol: 1e-12, atol: 1e-14 });
    expect(report.ok, report.message).toBe(true);
  });
});
