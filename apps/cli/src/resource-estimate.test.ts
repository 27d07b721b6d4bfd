import { describe, expect, it } from "vitest";
import { parseCommandLine, type CurvatureCommand } from "./command-line.js";
import { ResourceLimitError } from "@curv/tensor";
import { checkMemoryBudget, estimateNeeds } from "./resource-estimate.js";

function command(...extra: string[]): CurvatureCommand {
  const parsed = parseCommandLine(["matrix", "--model", "m.onnx", "--data", "d.npz", "--loss", "mse", "--out", "o.npy", ...extra]);
  if (parsed.help) throw new Error("help");
  return parsed.command;
}

const mlp = { parameters: 88, examples: 8, outputsPerExample: 3, columns: 256 };

describe("the memory estimate of a request", () => {
  it("counts the P x P matrix of matrix exactly", () => {
    const [largest] = estimateNeeds(command("--kind", "ggn", "--dtype", "float64"), { ...mlp, parameters: 10_000 });
    expect(largest).toEqual({ what: "the 10000 x 10000 matrix (float64)", bytes: 8e8 });
  });

  it("lets the fixture's requests through and names the change that fits for the rest", () => {
    expect(() => checkMemoryBudget(command("--kind", "ggn"), mlp)).not.toThrow();
    expect(() => checkMemoryBudget(command("--kind", "fisher-mc", "--mc-samples", "100"), mlp)).not.toThrow();
    const big = { ...mlp, examples: 4096, outputsPerExample: 1000 };
    expect(() => checkMemoryBudget(command("--kind", "ggn", "--max-memory", "1G"), big)).toThrow(/over --max-memory 1 GiB; try --batch-size 256$/);
    expect(() => checkMemoryBudget(command("--kind", "ggn", "--max-memory", "2M"), { ...mlp, parameters: 2000 })).toThrow(ResourceLimitError);
    expect(() => checkMemoryBudget(command("--kind", "ggn", "--max-memory", "2M"), { ...mlp, parameters: 2000 })).toThrow(
      /^the P x P matrix is too large: the 2000 x 2000 matrix \(float32\) needs 15.3 MiB, over --max-memory 2 MiB; use curv matvec/,
    );
  });
});
