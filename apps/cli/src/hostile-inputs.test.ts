// Issue 15's cases, each a regression test: unbounded reads, misleading
// messages, silent wrong results and resource guards, through `runCli` in
// process; signals, closed pipes and ORT's leftovers through the executable.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Linear, loadNpz, saveNpy, saveNpz, Sequential, Tanh, toOnnx } from "@curv/autodiff";
import { mlpMsePath } from "@curv/fixtures";
import { Generator, Tensor, tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const model = mlpMsePath("mlp-mse.onnx");
const data = mlpMsePath("mlp-mse.data.npz");
const scratch = mkdtempSync(join(tmpdir(), "curv-hostile-"));
const bin = resolve(import.meta.dirname, "../bin/curv.js");
const { X } = loadNpz(readFileSync(data));

async function curv(args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

function write(name: string, bytes: Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  return path;
}

const out = join(scratch, "never.npy");
const base = (...extra: string[]) => ["matrix", "--model", model, "--loss", "mse", "--kind", "ggn", "--provider", "js", "--dtype", "float64", "--out", out, ...extra];
const fifo = join(scratch, "pipe.npz");
execFileSync("mkfifo", [fifo]);

/** Cross-entropy data for the fixture MLP (3 outputs): its X with `labels`. */
const labelled = (name: string, labels: Tensor) => write(name, saveNpz({ X, y: labels }));
const crossEntropy = (dataPath: string, provider: string, target = out) => [
  "matrix", "--model", model, "--data", dataPath, "--loss", "cross-entropy", "--kind", "ggn", "--batch-size", "4", "--provider", provider, "--out", target,
];

describe("issue 15: every bad input is one curv: line and exit 1, and nothing is written", () => {
  const withNaN = (() => {
    const bad = X.astype("float64");
    (bad.data as Float64Array)[5 * 7 + 2] = Number.NaN;
    return write("nan.npz", saveNpz({ X: bad, y: loadNpz(readFileSync(data)).y }));
  })();
  const zeroRows = write("empty.npz", saveNpz({ X: new Tensor("float32", [0, 7]), y: new Tensor("float32", [0, 3]) }));
  const noColumns = write("no-columns.npy", saveNpy(new Tensor("float64", [88, 0])));
  const bomb = write("bomb.npz", saveNpz({ X: new Tensor("float64", [2 ** 20, 7]), y: new Tensor("float64", [2 ** 20, 3]) }, { compressed: true }));

  it.each([
    ["--model /dev/zero", ["matrix", "--model", "/dev/zero", "--data", data, "--loss", "mse", "--kind", "ggn", "--out", out], /^curv: --model \/dev\/zero: is a character device, not a regular file$/],
    ["--data /dev/urandom", base("--data", "/dev/urandom"), /^curv: --data \/dev\/urandom: is a character device, not a regular file$/],
    ["--data a FIFO (would hang)", base("--data", fifo), /^curv: --data \S+pipe\.npz: is a FIFO \(named pipe\), not a regular file$/],
    ["a file over --max-input-bytes", base("--data", data, "--max-input-bytes", "100"), /^curv: --model \S+: is \d+ bytes, over the limit of 100 bytes \(raise it with --max-input-bytes\)$/],
    ["an .npz that unpacks past --max-input-bytes", base("--data", bomb, "--max-input-bytes", String(2 ** 24)), /^curv: --data \S+bomb\.npz: the \.npz archive's arrays take more than 16 MiB unpacked/],
    ["--batch-size -1", base("--data", data, "--batch-size", "-1"), /^curv: --batch-size must be an integer >= 1, got "-1"$/],
    ["a repeated flag", base("--data", data, "--kind", "hessian"), /^curv: --kind is given more than once$/],
    ["N = 0", base("--data", zeroRows), /^curv: --data \S+empty\.npz: X has no examples \(shape \[0, 7\]\); the curvature needs N >= 1$/],
    ["a [P, 0] vector", ["matvec", ...base("--data", data, "--vector", noColumns).slice(1)], /^curv: --vector \S+no-columns\.npy: has shape \[88, 0\], no columns; expected \[88\] or \[88, K\] with K >= 1$/],
    ["NaN in the data: named, not called non-determinism", base("--data", withNaN), /^curv: GGNLinearOperator: X of batch 0 has NaN at entry \[5, 2\] \(shape \[8, 7\]\)/],
    ["--mc-samples 10000000: refused before the work", ["matrix", "--model", model, "--data", data, "--loss", "mse", "--kind", "fisher-mc", "--mc-samples", "10000000", "--out", out], /^curv: a batch's 10000000 Monte-Carlo samples x 8 examples x \(3 outputs \+ 256 columns\) need about 154 GiB .* over --max-memory 8 GiB; try --batch-size 1 --mc-samples \d+$/],
  ])("%s", async (_, args, message) => {
    const { code, stdout, stderr } = await curv(args);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(message);
    expect(code).toBe(1);
    expect(stdout).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    ["5 with 3 classes", [0, 1, 2, 5, 0, 1, 2, 0], /y of batch 0 has class label 5 at entry \[3\], but the model's output has 3 classes \(labels must be 0 to 2\)/],
    ["2^40", [0, 1, 2, 0, 0, 1, 2 ** 40, 0], /y of batch 1 has class label 1099511627776 at entry \[2\]/],
    ["-100", [0, 1, 2, 0, 0, 1, 2, -100], /y of batch 1 has class label -100 at entry \[3\]/],
    ["-1 (never class 2)", [-1, 1, 2, 0, 0, 1, 2, 0], /y of batch 0 has class label -1 at entry \[0\]/],
  ])("a class label out of range is an error naming the batch and entry: %s", async (_, labels, message) => {
    const path = labelled(`labels-${labels.join("_")}.npz`, new Tensor("int64", [labels.length], BigInt64Array.from(labels.map(BigInt))));
    for (const provider of ["js", "cpu"]) {
      const { code, stderr } = await curv(crossEntropy(path, provider));
      expect(stderr[0]).toMatch(message);
      expect(code).toBe(1);
    }
  });

  it("int32 (and so uint8) labels work on every runtime, equal to int64 labels", async () => {
    const labels = [0, 1, 2, 2, 1, 0, 1, 2];
    const int64 = labelled("int64.npz", new Tensor("int64", [labels.length], BigInt64Array.from(labels.map(BigInt))));
    const int32 = labelled("int32.npz", tensor(labels, { dtype: "int32" }));
    // NumPy's uint8 (and int8, int16) labels load as int32 (load-npy.test.ts), so int32 covers them.
    for (const provider of ["js", "cpu"]) {
      const results = [];
      for (const path of [int64, int32]) {
        const target = join(scratch, `ce-${provider}-${results.length}.npy`);
        const { code, stderr } = await curv(crossEntropy(path, provider, target));
        expect(stderr).toEqual([]);
        expect(code).toBe(0);
        results.push(readFileSync(target));
      }
      expect(results[1].equals(results[0])).toBe(true);
    }
  });

  it("a P = 65,792 dense request says the P x P matrix is too large and offers matvec", async () => {
    const generator = new Generator(0);
    const big = new Sequential(new Linear(256, 256, { generator }), new Tanh());
    const bigModel = write("big.onnx", toOnnx(big, { dtype: "float32", shape: ["batch", 256] }));
    const bigData = write("big.npz", saveNpz({ X: generator.normal([2, 256]), y: generator.normal([2, 256]) }));
    const { code, stderr } = await curv(["matrix", "--model", bigModel, "--data", bigData, "--loss", "mse", "--kind", "ggn", "--out", out]);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/^curv: the P x P matrix is too large: the 65792 x 65792 matrix \(float32\) has 4328587264 entries, more than one array holds .*; use curv matvec --vector V\.npy/);
    expect(code).toBe(1);
  });

  it("a failed write leaves the old result untouched and no temporary file", async () => {
    const folder = join(scratch, "keep");
    mkdirSync(folder);
    const target = join(folder, "result.npy");
    mkdirSync(target); // a folder where the file should go: the rename fails
    const { code, stderr } = await curv(["matrix", "--model", model, "--data", data, "--loss", "mse", "--kind", "ggn", "--provider", "js", "--out", target]);
    expect(code).toBe(1);
    expect(stderr[0]).toMatch(/^curv: --out \S+result\.npy: cannot write: /);
    expect(readdirSync(folder)).toEqual(["result.npy"]);
  });
});

/** Runs the executable; resolves with its exit code, signal and output. */
function runBin(args: string[], { closeStdout = false, interruptAfterMs, signal = "SIGINT" }: { closeStdout?: boolean; interruptAfterMs?: number; signal?: NodeJS.Signals } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; pid: number; exitedAfterSignalMs?: number }>((done) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, CI: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let signalled: number | undefined;
    if (closeStdout) child.stdout.destroy();
    else child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    if (interruptAfterMs !== undefined) {
      setTimeout(() => {
        signalled = performance.now();
        child.kill(signal);
      }, interruptAfterMs);
    }
    child.on("close", (code) => done({ code, stdout, stderr, pid: child.pid as number, exitedAfterSignalMs: signalled === undefined ? undefined : performance.now() - signalled }));
  });
}

describe("issue 15: the executable", () => {
  it.each([["SIGINT", 130], ["SIGTERM", 143]] as const)("%s stops the work promptly, exits %i and writes nothing", async (signal, exitCode) => {
    const target = join(scratch, "interrupted.npy");
    writeFileSync(target, "the previous result");
    // Ten million Monte-Carlo samples run for many seconds (the budget is raised so the guard lets it start).
    const args = ["matrix", "--model", model, "--data", data, "--loss", "mse", "--kind", "fisher-mc", "--mc-samples", "2000000", "--batch-size", "1", "--max-memory", "64G", "--out", target];
    const result = await runBin(args, { interruptAfterMs: 4000, signal });
    expect(result.code).toBe(exitCode);
    expect(result.exitedAfterSignalMs).toBeLessThan(2000);
    expect(readFileSync(target, "utf8")).toBe("the previous result");
    expect(readdirSync(scratch).filter((name) => name.startsWith(".interrupted"))).toEqual([]);
  }, 30_000);

  it("a closed stdout (curv ... | head -0) exits quietly, without an EPIPE stack", async () => {
    const target = join(scratch, "piped.npy");
    const result = await runBin(["matrix", "--model", model, "--data", data, "--loss", "mse", "--kind", "ggn", "--out", target], { closeStdout: true });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(existsSync(target)).toBe(true);
  }, 30_000);

  it("keeps ORT's native log lines off stderr and leaves no /tmp/mat-debug-<pid>.log", async () => {
    const target = join(scratch, "ort.npy");
    const result = await runBin(["matrix", "--model", model, "--data", data, "--loss", "mse", "--kind", "ggn", "--provider", "cpu", "--out", target]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(existsSync(join(tmpdir(), `mat-debug-${result.pid}.log`))).toBe(false);
  }, 30_000);

  it("a provider that cannot start is one curv: line, without ORT's native error line", async () => {
    const result = await runBin(["matrix", "--model", model, "--data", data, "--loss", "mse", "--kind", "ggn", "--provider", "cuda", "--out", join(scratch, "cuda.npy")]);
    if (result.code === 0) return; // a machine with CUDA: nothing to check
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^curv: [^\n]*cuda[^\n]*\n$/);
  }, 30_000);

  it("--ort-log-level verbose turns ORT's own lines back on", async () => {
    const target = join(scratch, "ort-verbose.npy");
    const result = await runBin(["matrix", "--model", model, "--data", data, "--loss", "mse", "--kind", "ggn", "--provider", "cpu", "--ort-log-level", "verbose", "--out", target]);
    expect(result.code).toBe(0);
    expect(result.stderr.split("\n").length).toBeGreaterThan(10);
  }, 30_000);
});
