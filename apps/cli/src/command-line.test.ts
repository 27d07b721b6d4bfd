import { describe, expect, it } from "vitest";
import { UsageError } from "./cli-errors.js";
import { DEFAULT_MAX_INPUT_BYTES, DEFAULT_MAX_MEMORY_BYTES, DEFAULT_SEED, parseCommandLine, type CurvatureCommand } from "./command-line.js";

const base = ["--model", "m.onnx", "--data", "d.npz", "--loss", "mse", "--out", "o.npy"];

function commandOf(args: string[]): CurvatureCommand {
  const parsed = parseCommandLine(args);
  if (parsed.help) throw new Error("expected a command, got --help");
  return parsed.command;
}

describe("parseCommandLine", () => {
  it("fills in the defaults of curv matrix", () => {
    expect(commandOf(["matrix", ...base, "--kind", "hessian"])).toEqual({
      command: "matrix", modelPath: "m.onnx", dataPath: "d.npz", loss: "mse", reduction: "mean", batchSize: undefined,
      kind: "hessian", separateWeightAndBias: false, params: undefined, provider: undefined, dtype: "float32",
      mcSamples: 1, seed: DEFAULT_SEED, vectorPath: undefined, outPath: "o.npy",
      maxInputBytes: DEFAULT_MAX_INPUT_BYTES, maxMemoryBytes: DEFAULT_MAX_MEMORY_BYTES, ortLogLevel: "fatal",
    });
  });

  it("reads every option, after the `--` pnpm passes on (doubled by `pnpm curv -- ...`)", () => {
    const command = commandOf([
      "--", "--", "matvec", ...base, "--kind", "fisher-mc", "--reduction", "sum", "--batch-size", "4", "--params", "0.weight, 0.bias",
      "--provider", "js", "--dtype", "float64", "--mc-samples", "3", "--seed", "7", "--vector", "v.npy",
    ]);
    expect(command).toMatchObject({
      command: "matvec", kind: "fisher-mc", reduction: "sum", batchSize: 4, params: ["0.weight", "0.bias"], provider: "js",
      dtype: "float64", mcSamples: 3, seed: 7, vectorPath: "v.npy",
    });
    expect(commandOf(["matrix", ...base, "--kind", "kfac", "--separate-weight-and-bias"]).separateWeightAndBias).toBe(true);
  });

  it("answers --help without needing anything else", () => {
    expect(parseCommandLine(["--help"])).toEqual({ help: true });
    expect(parseCommandLine(["matrix", "-h"])).toEqual({ help: true });
  });

  it.each([
    ["no command", [...base, "--kind", "ggn"], /expected a command, matrix or matvec/],
    ["an unknown command", ["invert", ...base, "--kind", "ggn"], /--command must be one of matrix, matvec, got "invert"/],
    ["an unknown flag", ["matrix", ...base, "--kind", "ggn", "--colour", "red"], /Unknown option '--colour'/],
    ["a missing --model", ["matrix", "--data", "d.npz", "--loss", "mse", "--kind", "ggn", "--out", "o.npy"], /--model is required/],
    ["a missing --kind", ["matrix", ...base], /--kind is required/],
    ["an unknown kind", ["matrix", ...base, "--kind", "fisher"], /--kind must be one of hessian, ggn, ef, fisher-mc, kfac, ekfac, got "fisher"/],
    ["an unknown loss", ["matrix", ...base.slice(0, 5), "nll", "--out", "o.npy", "--kind", "ggn"], /--loss must be one of mse, cross-entropy, bce, got "nll"/],
    ["a zero batch size", ["matrix", ...base, "--kind", "ggn", "--batch-size", "0"], /--batch-size must be an integer >= 1, got "0"/],
    ["a fractional batch size", ["matrix", ...base, "--kind", "ggn", "--batch-size", "2.5"], /--batch-size must be an integer >= 1, got "2.5"/],
    ["an unknown dtype", ["matrix", ...base, "--kind", "ggn", "--dtype", "float16"], /--dtype must be one of float32, float64, got "float16"/],
    ["an unknown provider", ["matrix", ...base, "--kind", "ggn", "--provider", "tpu"], /--provider must be one of cpu, webgpu, cuda, js, got "tpu"/],
    ["--mc-samples without fisher-mc", ["matrix", ...base, "--kind", "ggn", "--mc-samples", "2"], /--mc-samples applies to --kind fisher-mc only/],
    ["--seed without fisher-mc", ["matrix", ...base, "--kind", "kfac", "--seed", "2"], /--seed applies to --kind fisher-mc only, got --kind kfac/],
    ["a negative seed", ["matrix", ...base, "--kind", "fisher-mc", "--seed=-1"], /--seed must be an integer >= 0, got "-1"/],
    ["--separate-weight-and-bias without kfac", ["matrix", ...base, "--kind", "hessian", "--separate-weight-and-bias"], /applies to --kind kfac and ekfac only/],
    ["matvec without --vector", ["matvec", ...base, "--kind", "ggn"], /curv matvec needs --vector FILE/],
    ["matrix with --vector", ["matrix", ...base, "--kind", "ggn", "--vector", "v.npy"], /--vector applies to curv matvec only/],
    ["an empty parameter name", ["matrix", ...base, "--kind", "ggn", "--params", "0.weight,,0.bias"], /--params must be comma-separated parameter names/],
  ])("rejects %s with a UsageError", (_, args, message) => {
    expect(() => parseCommandLine(args)).toThrow(UsageError);
    expect(() => parseCommandLine(args)).toThrow(message);
  });
});
