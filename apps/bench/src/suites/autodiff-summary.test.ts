import { describe, expect, it } from "vitest";
import type { CaseResult } from "../measure-case.js";
import { summarizeProducts } from "./autodiff.js";

function result(model: string, runtime: string, product: string, medianMs: number): CaseResult {
  return { suite: "autodiff", name: `${model} ${product} ${runtime}`, medianMs, meanMs: medianMs, samples: 10, opsPerSecond: 1000 / medianMs, extra: { model, runtime, product } };
}

describe("autodiff summary", () => {
  it("writes the issue's {cases: {mlp: {gradient_ms, hvp_ms, ggnvp_ms}}} shape from the ORT runs, with ratios", () => {
    const { report, lines } = summarizeProducts([
      result("mlp", "ort", "gradient", 2), result("mlp", "ort", "hvp", 5), result("mlp", "ort", "ggnvp", 4),
      result("mlp", "js", "gradient", 50), result("mlp", "js", "hvp", 150),
    ]);
    const mlp = (report!.cases as Record<string, Record<string, unknown>>).mlp;
    expect(mlp).toMatchObject({ gradient_ms: 2, hvp_ms: 5, ggnvp_ms: 4, hvp_ratio: 2.5, ggnvp_ratio: 2 });
    expect(mlp.js).toEqual({ gradient_ms: 50, hvp_ms: 150, hvp_ratio: 3 });
    expect((report!.cases as Record<string, unknown>).cnn).toBeUndefined();
    expect(lines!.join("\n")).toContain("hvp 5.00 ms (2.50x)");
  });
});
