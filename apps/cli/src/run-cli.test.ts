import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadNpy, saveNpy, saveNpz } from "@curv/autodiff";
import { jsonTensor, mlpMsePath, readMlpMseGolden, type JsonTensor, type MlpMseMatrixName } from "@curv/fixtures";
import { encodeOnnx, Tensor, type Graph } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { oneLine, runCli } from "./run-cli.js";

const model = mlpMsePath("mlp-mse.onnx");
const data = mlpMsePath("mlp-mse.data.npz");
const scratch = mkdtempSync(join(tmpdir(), "curv-cli-"));

const golden = readMlpMseGolden();
const asTensor = (t: JsonTensor) => jsonTensor(t, "float64");

/** Runs `curv` in process; returns the exit code and what it printed. */
async function curv(args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

/** The fixture's MLP with MSE in two batches of 4, on the js runtime in float64 (the fixture's precision). */
const fixtureArgs = ["--model", model, "--data", data, "--loss", "mse", "--batch-size", "4", "--provider", "js", "--dtype", "float64"];
const F64 = { rtol: 1e-10, atol: 1e-12 };

describe("curv matrix on the fixture MLP", () => {
  // EKFAC's eigenbasis is sensitive where eigenvalues are close: the fixture asks 1e-8 of it.
  const EKFAC = { rtol: 1e-8, atol: 1e-10 };
  it.each<[string, string[], MlpMseMatrixName, typeof F64]>([
    ["hessian", [], "hessian", F64],
    ["ggn", [], "ggn", F64],
    ["ef", [], "empirical_fisher", F64],
    ["kfac", [], "kfac", F64],
    ["kfac", ["--separate-weight-and-bias"], "kfac_separate", F64],
    ["ekfac", [], "ekfac", EKFAC],
    ["ekfac", ["--separate-weight-and-bias"], "ekfac_separate", EKFAC],
  ])("--kind %s %j reproduces PyTorch's %s", async (kind, extra, name, tolerance) => {
    const out = join(scratch, `${name}.npy`);
    const { code, stdout, stderr } = await curv(["matrix", ...fixtureArgs, "--kind", kind, ...extra, "--out", out]);
    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    const matrix = loadNpy(new Uint8Array(readFileSync(out)));
    expect(matrix.dtype).toBe("float64");
    const report = compare(matrix, asTensor(golden.matrices[name]), tolerance);
    expect(report.ok, report.message).toBe(true);
    expect(stdout[0]).toBe(`${kind}: P = 88`);
    expect(stdout.slice(1, 4).map((l) => l.split(" = ")[0])).toEqual(["trace", "Frobenius norm", "time"]);
  });

  it("prints the trace and Frobenius norm of the matrix written", async () => {
    const out = join(scratch, "ggn-summary.npy");
    const { stdout } = await curv(["matrix", ...fixtureArgs, "--kind", "ggn", "--out", out]);
    const reference = golden.matrices.ggn;
    const trace = Array.from({ length: 88 }, (_, i) => reference.data[i * 88 + i]).reduce((a, b) => a + b, 0);
    const norm = Math.sqrt(reference.data.reduce((sum, x) => sum + x * x, 0));
    expect(Number(stdout[1].split(" = ")[1])).toBeCloseTo(trace, 5);
    expect(Number(stdout[2].split(" = ")[1])).toBeCloseTo(norm, 5);
  });

  it("restricts to --params, in the order given", async () => {
    const out = join(scratch, "hessian-block.npy");
    expect((await curv(["matrix", ...fixtureArgs, "--kind", "hessian", "--params", "4.bias,0.bias", "--out", out])).code).toBe(0);
    const indices = [85, 86, 87, 35, 36, 37, 38, 39];
    const full = golden.matrices.hessian.data;
    const expected = new Tensor("float64", [8, 8], Float64Array.from(indices.flatMap((i) => indices.map((j) => full[i * 88 + j]))));
    const report = compare(loadNpy(new Uint8Array(readFileSync(out))), expected, F64);
    expect(report.ok, report.message).toBe(true);
  });

  it("computes in float32 on the default provider within 1e-4", async () => {
    const out = join(scratch, "ggn-f32.npy");
    const args = ["matrix", "--model", model, "--data", data, "--loss", "mse", "--batch-size", "4", "--kind", "ggn", "--out", out];
    expect((await curv(args)).code).toBe(0);
    const matrix = loadNpy(new Uint8Array(readFileSync(out)));
    expect(matrix.dtype).toBe("float32");
    const report = compare(matrix.astype("float64"), asTensor(golden.matrices.ggn), { rtol: 1e-4, atol: 1e-6 });
    expect(report.ok, report.message).toBe(true);
  });

  it("--kind fisher-mc is reproducible by --seed and approaches the GGN (the exact Fisher) with many samples", async () => {
    const run = async (seed: string, samples: string, name: string) => {
      const out = join(scratch, name);
      expect((await curv(["matrix", ...fixtureArgs, "--kind", "fisher-mc", "--mc-samples", samples, "--seed", seed, "--out", out])).code).toBe(0);
      return readFileSync(out);
    };
    const first = await run("3", "1", "mc-a.npy");
    expect((await run("3", "1", "mc-b.npy")).equals(first)).toBe(true);
    expect((await run("4", "1", "mc-c.npy")).equals(first)).toBe(false);
    // curvlinops' Monte-Carlo tolerance: rtol 0.1, atol 0.015 after scaling by the largest entry.
    const many = loadNpy(new Uint8Array(await run("0", "2000", "mc-many.npy")));
    const ggn = asTensor(golden.matrices.ggn);
    const scale = Math.max(...ggn.toArray().map(Math.abs));
    const normalized = (t: Tensor) => new Tensor("float64", [88, 88], Float64Array.from(t.toArray(), (x) => x / scale));
    const report = compare(normalized(many), normalized(ggn), { rtol: 0.1, atol: 0.015 });
    expect(report.ok, report.message).toBe(true);
  });
});

describe("curv matvec on the fixture MLP", () => {
  const vector = join(scratch, "v.npy");
  writeFileSync(vector, saveNpy(asTensor(golden.v)));

  it.each<[string, string[], MlpMseMatrixName]>([
    ["hessian", [], "hessian"],
    ["ggn", [], "ggn"],
    ["ef", [], "empirical_fisher"],
    ["kfac", ["--separate-weight-and-bias"], "kfac_separate"],
    ["ekfac", [], "ekfac"],
  ])("--kind %s %j multiplies the fixture's probe vector as PyTorch's %s does", async (kind, extra, name) => {
    const out = join(scratch, `${name}-v.npy`);
    const { code, stdout } = await curv(["matvec", ...fixtureArgs, "--kind", kind, ...extra, "--vector", vector, "--out", out]);
    expect(code).toBe(0);
    expect(stdout[0]).toBe(`${kind}: P = 88`);
    const report = compare(loadNpy(new Uint8Array(readFileSync(out))), asTensor(golden.results.matvec[name]), kind === "ekfac" ? { rtol: 1e-8, atol: 1e-10 } : F64);
    expect(report.ok, report.message).toBe(true);
  });

  it("multiplies a [P, K] matrix column by column", async () => {
    const columns = join(scratch, "v2.npy");
    const v = golden.v.data;
    writeFileSync(columns, saveNpy(new Tensor("float64", [88, 2], Float64Array.from(v.flatMap((x) => [x, 2 * x])))));
    const out = join(scratch, "hessian-v2.npy");
    expect((await curv(["matvec", ...fixtureArgs, "--kind", "hessian", "--vector", columns, "--out", out])).code).toBe(0);
    const product = loadNpy(new Uint8Array(readFileSync(out)));
    const hv = golden.results.matvec.hessian.data;
    const expected = new Tensor("float64", [88, 2], Float64Array.from(hv.flatMap((x) => [x, 2 * x])));
    expect(compare(product, expected, F64).ok).toBe(true);
  });
});

/** An ONNX model whose one node is an LSTM, which importOnnx does not map. */
function lstmModelBytes(): Uint8Array {
  const graph: Graph = {
    name: "lstm",
    inputs: [{ name: "x", dtype: "float32", shape: ["batch", 7] }],
    outputs: [{ name: "y", dtype: "float32", shape: ["batch", 3] }],
    nodes: [{ op: "LSTM", inputs: ["x"], outputs: ["y"], attributes: {}, name: "recurrent" }],
    constants: new Map(),
    opset: 17,
  };
  return encodeOnnx(graph);
}

describe("curv on bad input: one line on stderr, exit code 1", () => {
  const write = (name: string, bytes: Uint8Array) => {
    const path = join(scratch, name);
    writeFileSync(path, bytes);
    return path;
  };
  const wide = write("wide.npz", saveNpz({ X: new Tensor("float32", [2, 6]), y: new Tensor("float32", [2, 3]) }));
  const noTargets = write("no-y.npz", saveNpz({ X: new Tensor("float32", [2, 7]) }));
  const unevenRows = write("uneven.npz", saveNpz({ X: new Tensor("float32", [2, 7]), y: new Tensor("float32", [3, 3]) }));
  const classLabels = write("labels.npz", saveNpz({ X: new Tensor("float32", [2, 7]), y: new Tensor("int64", [2]) }));
  const lstm = write("lstm.onnx", lstmModelBytes());
  const shortVector = write("short.npy", saveNpy(new Tensor("float64", [87])));
  const matrix = (...extra: string[]) => ["matrix", "--loss", "mse", "--kind", "ggn", "--provider", "js", "--out", join(scratch, "never.npy"), ...extra];

  it.each([
    ["a missing model file", matrix("--model", join(scratch, "absent.onnx"), "--data", data), /^curv: --model \S+absent\.onnx: no such file$/],
    ["a missing data file", matrix("--model", model, "--data", join(scratch, "absent.npz")), /^curv: --data \S+absent\.npz: no such file$/],
    ["a data set without y", matrix("--model", model, "--data", noTargets), /^curv: --data \S+no-y\.npz: no array "y" \(it holds "X"; expected X and y\)$/],
    ["inputs the model cannot take", matrix("--model", model, "--data", wide), /^curv: --data \S+wide\.npz: X has shape \[2, 6\], but the model's input is \[batch, 7\]$/],
    ["targets with other rows than X", matrix("--model", model, "--data", unevenRows), /^curv: --data \S+: X has 2 examples \(shape \[2, 7\]\) but y has shape \[3, 3\]$/],
    ["an ONNX operator curv cannot import", matrix("--model", lstm, "--data", data), /^curv: --model \S+lstm\.onnx: importOnnx: the ONNX operator "LSTM" \(node "recurrent"\) is not supported/],
    ["a parameter the model lacks", matrix("--model", model, "--data", data, "--params", "0.weight,9.weight"), /^curv: GGNLinearOperator: params\[1\] = "9\.weight" is not a parameter of the model/],
    ["targets the loss cannot take", matrix("--model", model, "--data", classLabels), /^curv: GGNLinearOperator: y of shape \[batch\] \(int64\) does not fit MSELoss of the model.s output \[batch, 3\]/],
    ["a vector of the wrong length", ["matvec", ...fixtureArgs, "--kind", "hessian", "--vector", shortVector, "--out", join(scratch, "never.npy")], /^curv: --vector \S+short\.npy: expected shape \[88\] or \[88, K\] \(P = 88 parameters\), got \[87\]$/],
    ["an unknown kind", matrix("--model", model, "--data", data).map((arg) => (arg === "ggn" ? "hutchinson" : arg)), /^curv: --kind must be one of hessian, ggn, ef, fisher-mc, kfac, ekfac, got "hutchinson"$/],
    ["an unknown flag", matrix("--model", model, "--data", data, "--verbose"), /^curv: Unknown option '--verbose'$/],
  ])("%s", async (_, args, message) => {
    const { code, stdout, stderr } = await curv(args);
    expect(code).toBe(1);
    expect(stdout).toEqual([]);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(message);
  });

  it("joins a message that lists its reasons on lines of their own, so no reason is lost", () => {
    expect(oneLine('runtime "ort": no provider could start (tried cuda):\n  - cuda: no CUDA libraries\n')).toBe(
      'runtime "ort": no provider could start (tried cuda): - cuda: no CUDA libraries',
    );
  });

  it("prints the usage on --help and exits 0", async () => {
    const { code, stdout } = await curv(["--help"]);
    expect(code).toBe(0);
    expect(stdout[0]).toMatch(/^usage: curv matrix --model M\.onnx/);
  });
});

describe("the curv executable (a child process)", () => {
  const bin = resolve(import.meta.dirname, "../bin/curv.js");
  const spawnCurv = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, CI: "1" } });

  it("writes the fixture's GGN and prints the summary", () => {
    const out = join(scratch, "child-ggn.npy");
    const child = spawnCurv(["matrix", ...fixtureArgs, "--kind", "ggn", "--out", out]);
    expect(child.stderr).toBe("");
    expect(child.status).toBe(0);
    expect(child.stdout).toMatch(/^ggn: P = 88\ntrace = \S+\nFrobenius norm = \S+\ntime = \S+ s\nwrote /);
    const report = compare(loadNpy(new Uint8Array(readFileSync(out))), asTensor(golden.matrices.ggn), F64);
    expect(report.ok, report.message).toBe(true);
  });

  it("exits 1 with one line on stderr for a missing file", () => {
    const child = spawnCurv(["matrix", "--model", join(scratch, "absent.onnx"), "--data", data, "--loss", "mse", "--kind", "ggn", "--out", join(scratch, "x.npy")]);
    expect(child.status).toBe(1);
    expect(child.stdout).toBe("");
    expect(child.stderr).toMatch(/^curv: --model \S+absent\.onnx: no such file\n$/);
  });
});
