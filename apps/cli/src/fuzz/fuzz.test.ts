// The fuzz suite of issue 15: hostile ONNX, .npz, .npy and safetensors bytes
// and random flag combinations. Every outcome must be a result or a typed
// error: in the libraries a CurvError, from `curv` exit 1 with exactly one
// `curv:` line, nothing written, and (in a child process) a bounded peak RSS.
//
// A fixed seed and a few dozen runs by default (about a minute); for a longer
// run, CURV_FUZZ_RUNS=2000 (a random seed, printed, unless CURV_FUZZ_SEED is set).
// fast-check's failure message names the seed and the shrunk counterexample.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { decodeSafetensors, encodeSafetensors, importOnnx, loadNpy, loadNpz, saveNpy } from "@curv/autodiff";
import { mlpMsePath } from "@curv/fixtures";
import { CurvError, Generator } from "@curv/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runCli } from "../run-cli.js";
import { hostileNpy, mutations, type Mutation } from "./hostile-bytes.js";

const requestedRuns = Number(process.env.CURV_FUZZ_RUNS ?? "");
const longRun = Number.isSafeInteger(requestedRuns) && requestedRuns > 0;
const seed = process.env.CURV_FUZZ_SEED !== undefined ? Number(process.env.CURV_FUZZ_SEED) : longRun ? Math.floor(Math.random() * 2 ** 31) : 15;
if (longRun || process.env.CURV_FUZZ_SEED !== undefined) console.log(`curv fuzz: seed ${seed} (CURV_FUZZ_SEED=${seed} repeats this run)`);
/** Runs of a property: `base` by default, CURV_FUZZ_RUNS scaled by the property's cost otherwise. */
const runs = (base: number, cost = 1) => ({ seed, numRuns: longRun ? Math.max(1, Math.round(requestedRuns / cost)) : base });

/** Peak RSS a failing `curv` child may reach: a bare run takes about 170 MB. */
const PEAK_RSS_BOUND_BYTES = 512 * 2 ** 20;

const model = readFileSync(mlpMsePath("mlp-mse.onnx"));
const data = readFileSync(mlpMsePath("mlp-mse.data.npz"));
const vector = saveNpy(new Generator(1).normal([88], { dtype: "float64" }));
const safetensors = encodeSafetensors(importOnnx(model).stateDict() as never);
const scratch = mkdtempSync(join(tmpdir(), "curv-fuzz-"));
const bin = resolve(import.meta.dirname, "../../bin/curv.js");
const peakRssPreload = resolve(import.meta.dirname, "peak-rss.mjs");

/** A library call on hostile bytes either returns or throws a CurvError; anything else is a bug. */
function onlyTypedErrors(call: () => unknown): void {
  try {
    call();
  } catch (error) {
    if (!(error instanceof CurvError)) throw new Error(`not a CurvError: ${String(error)}`, { cause: error });
  }
}

describe("fuzz: the readers on hostile bytes", () => {
  it("loadNpz: a result or a CurvError", () => {
    fc.assert(fc.property(mutations, (mutate) => onlyTypedErrors(() => loadNpz(mutate(data)))), runs(300));
  });
  it("loadNpy: a result or a CurvError", () => {
    fc.assert(fc.property(fc.oneof(mutations.map((m) => m(vector)), hostileNpy), (bytes) => onlyTypedErrors(() => loadNpy(bytes))), runs(300));
  });
  it("importOnnx: a model or a CurvError", () => {
    fc.assert(fc.property(mutations, (mutate) => onlyTypedErrors(() => importOnnx(mutate(model)))), runs(300));
  });
  it("decodeSafetensors: tensors or a CurvError", () => {
    fc.assert(fc.property(mutations, (mutate) => onlyTypedErrors(() => decodeSafetensors(mutate(safetensors)))), runs(300));
  });
});

/** The `curv` outcome contract for one run whose --out held `sentinel` before. */
function expectContract(code: number, stdout: readonly string[], stderr: readonly string[], out: string, sentinel: string): void {
  expect([0, 1]).toContain(code);
  if (code === 1) {
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/^curv: \S/);
    expect(stdout).toEqual([]);
    expect(readFileSync(out, "utf8")).toBe(sentinel);
  } else {
    expect(loadNpy(readFileSync(out)).ndim).toBeGreaterThan(0);
  }
}

async function inProcess(args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

let counter = 0;
/** Fresh paths for one run: the hostile files and an --out that holds a sentinel. */
function files(bytes: Record<string, Uint8Array>): Record<string, string> & { out: string; sentinel: string } {
  const folder = join(scratch, String(counter++));
  execFileSync("mkdir", ["-p", folder]);
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(bytes)) writeFileSync((paths[name] = join(folder, name)), content);
  const sentinel = `sentinel ${counter}`;
  const out = join(folder, "out.npy");
  writeFileSync(out, sentinel);
  return Object.assign(paths, { out, sentinel });
}

const hostileInputs: fc.Arbitrary<HostileInput> = fc.record({
  model: fc.option(mutations, { nil: undefined }),
  data: fc.option(mutations, { nil: undefined }),
  vector: fc.option(fc.oneof(mutations.map((m) => m(vector)), hostileNpy), { nil: undefined }),
  matvec: fc.boolean(),
  provider: fc.constantFrom("js", "cpu"),
});

type HostileInput = { model?: Mutation; data?: Mutation; vector?: Uint8Array; matvec: boolean; provider: string };

/** The command line of one hostile-input run. */
function hostileRun(input: HostileInput) {
  const f = files({
    "m.onnx": input.model === undefined ? model : input.model(model),
    "d.npz": input.data === undefined ? data : input.data(data),
    "v.npy": input.vector ?? vector,
  });
  const args = [input.matvec ? "matvec" : "matrix", "--model", f["m.onnx"], "--data", f["d.npz"], "--loss", "mse", "--kind", "ggn", "--provider", input.provider, "--out", f.out];
  if (input.matvec) args.push("--vector", f["v.npy"]);
  return { args, f };
}

describe("fuzz: curv on hostile files (in process)", () => {
  it("exit 0 with a result, or exit 1 with one curv: line and --out untouched", async () => {
    await fc.assert(
      fc.asyncProperty(hostileInputs, async (input) => {
        const { args, f } = hostileRun(input);
        const { code, stdout, stderr } = await inProcess(args);
        expectContract(code, stdout, stderr, f.out, f.sentinel);
      }),
      runs(40, 4),
    );
  });
});

const FLAG_VALUES: Record<string, readonly string[]> = {
  "--loss": ["mse", "cross-entropy", "bce", "hinge", ""],
  "--kind": ["hessian", "ggn", "ef", "fisher-mc", "kfac", "ekfac", "hutchinson"],
  "--reduction": ["mean", "sum", "max"],
  "--batch-size": ["1", "3", "8", "0", "-1", "1.5", "1e9", "x"],
  "--provider": ["js", "cpu", "tpu"],
  "--dtype": ["float32", "float64", "int8"],
  "--mc-samples": ["1", "2", "0", "10000000", "-3"],
  "--seed": ["0", "7", "-1", "abc"],
  "--params": ["0.weight", "4.bias,0.bias", "9.weight", ",", ""],
  "--max-memory": ["1K", "8G", "0", "lots"],
  "--max-input-bytes": ["10", "100000000", "0"],
  "--ort-log-level": ["fatal", "error", "chatty"],
  "--data": ["/dev/zero", "/dev/urandom", "/nonexistent.npz", "GOOD"],
  "--model": ["/dev/zero", "/nonexistent.onnx", "GOOD"],
  "--vector": ["/dev/null", "GOOD"],
};
const flagTokens = fc.array(
  fc.oneof(
    fc.constantFrom(...Object.keys(FLAG_VALUES)).chain((flag) => fc.constantFrom(...FLAG_VALUES[flag]).map((value) => [flag, value])),
    fc.constantFrom(["--separate-weight-and-bias"], ["--help-me"], ["-x"], ["--out"], ["extra"], ["--"], ["--kind=ggn"]),
  ),
  { maxLength: 8 },
);

describe("fuzz: random flag combinations (in process)", () => {
  it("exit 0 with a result, or exit 1 with one curv: line and --out untouched", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("matrix", "matvec", "", "transpose"), flagTokens, async (command, tokens) => {
        const f = files({ "m.onnx": model, "d.npz": data, "v.npy": vector });
        const good: Record<string, string> = { "--model": f["m.onnx"], "--data": f["d.npz"], "--vector": f["v.npy"] };
        const args = [command, ...tokens.flat().map((token, i, all) => (token === "GOOD" ? good[all[i - 1]] : token)), "--out", f.out].filter((a) => a !== "");
        const { code, stdout, stderr } = await inProcess(args);
        if (args.includes("--help") || (code === 0 && stdout[0]?.startsWith("usage:"))) return;
        expectContract(code, stdout, stderr, f.out, f.sentinel);
      }),
      runs(150),
    );
  });
});

/** Runs the executable with the peak-RSS preload; resolves with its outcome. */
function child(args: string[]) {
  const rssFile = join(scratch, `rss-${counter++}`);
  return new Promise<{ code: number | null; stdout: string; stderr: string; peakRssBytes: number }>((done) => {
    const options = { env: { ...process.env, CI: "1", NODE_OPTIONS: `--import=${peakRssPreload}`, CURV_TEST_PEAK_RSS_FILE: rssFile } };
    const process_ = spawn(process.execPath, [bin, ...args], options);
    let stdout = "";
    let stderr = "";
    process_.stdout.on("data", (d) => (stdout += d));
    process_.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => process_.kill("SIGKILL"), 60_000);
    process_.on("close", (code) => {
      clearTimeout(timer);
      const peakRssBytes = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) * 1024 : Number.POSITIVE_INFINITY;
      rmSync(rssFile, { force: true });
      done({ code, stdout, stderr, peakRssBytes });
    });
  });
}

describe("fuzz: the curv executable (child processes, peak RSS bounded)", () => {
  it(`exit 0, or exit 1 with one curv: line; --out untouched; peak RSS below ${PEAK_RSS_BOUND_BYTES / 2 ** 20} MiB`, async () => {
    await fc.assert(
      fc.asyncProperty(hostileInputs, async (input) => {
        const { args, f } = hostileRun(input);
        const { code, stdout, stderr, peakRssBytes } = await child(args);
        expect(peakRssBytes).toBeLessThan(PEAK_RSS_BOUND_BYTES);
        const lines = (text: string) => text.split("\n").filter((line) => line !== "");
        expectContract(code ?? -1, code === 0 ? lines(stdout) : lines(stdout), lines(stderr), f.out, f.sentinel);
      }),
      runs(6, 40),
    );
  }, 600_000);
});
