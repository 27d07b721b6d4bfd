// The command, as a new user types it, on the torch.onnx.export
// Transformer classifier of fixtures/transformer-dev: int64 token ids in the
// .npz, the Hessian, GGN and empirical Fisher in float64 on ORT CPU (the
// default provider) against PyTorch's 687 x 687 matrices, 1e-10 relative;
// and the clear error for a token id outside the embedding.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadNpy, loadNpz, saveNpz } from "@curv/autodiff";
import { transformerDevFile, transformerDevPath } from "@curv/fixtures";
import { Tensor } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { runCli } from "./run-cli.js";

const model = transformerDevPath("transformer-dev.onnx");
const data = transformerDevPath("transformer-dev.data.npz");
const reference = loadNpz(transformerDevFile("transformer-dev.golden.npz"));
const scratch = mkdtempSync(join(tmpdir(), "curv-cli-transformer-"));

async function curv(args: string[]): Promise<{ code: number; stderr: string[] }> {
  const stderr: string[] = [];
  const code = await runCli(args, { stdout: () => {}, stderr: (line) => stderr.push(line) });
  return { code, stderr };
}

describe("curv matrix on the transformer-dev fixture (int64 tokens)", () => {
  it.each([
    { kind: "hessian", matrix: "hessian" },
    { kind: "ggn", matrix: "ggn" },
    { kind: "ef", matrix: "empirical_fisher" },
  ])("--kind $kind --dtype float64 reproduces PyTorch's $matrix to 1e-10", async ({ kind, matrix }) => {
    const out = join(scratch, `${kind}.npy`);
    const { code, stderr } = await curv(["matrix", "--model", model, "--data", data, "--loss", "cross-entropy", "--batch-size", "4", "--kind", kind, "--dtype", "float64", "--out", out]);
    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    const expected = reference[matrix];
    const scale = Array.from(expected.data as Float64Array).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const report = compare(loadNpy(new Uint8Array(readFileSync(out))), expected, { rtol: 1e-10, atol: 1e-10 * scale });
    expect(report.ok, report.message).toBe(true);
  });

  it("names the input and the largest id when a token id is out of range", async () => {
    const { X, y } = loadNpz(transformerDevFile("transformer-dev.data.npz"));
    const ids = BigInt64Array.from(X.data as BigInt64Array);
    ids[7] = 13n;
    const badData = join(scratch, "bad.npz");
    writeFileSync(badData, saveNpz({ X: new Tensor("int64", X.shape, ids), y }));
    const { code, stderr } = await curv(["matrix", "--model", model, "--data", badData, "--loss", "cross-entropy", "--kind", "ggn", "--out", join(scratch, "bad.npy")]);
    expect(code).not.toBe(0);
    expect(stderr.join("\n")).toMatch(/input "tokens" has token id 13, out of range for "embed.weight" with 11 rows \(ids 0 to 10\)/);
  });
});
