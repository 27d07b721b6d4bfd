import { describe, expect, it } from "vitest";
import type { CaseResult } from "../measure-case.js";
import { summarizeOperators } from "./operators-summary.js";

function result(name: string, medianMs: number, extra: Record<string, string | number>): CaseResult {
  return { suite: "operators", name, medianMs, meanMs: medianMs, samples: 3, opsPerSecond: 1000 / medianMs, extra };
}

const toDense = (operator: string, runtime: string, ms: number, fresh = false) =>
  result(`${operator} toDense ${runtime}${fresh ? " fresh" : ""}`, ms, { operator, runtime, measure: fresh ? "toDense-fresh" : "toDense" });
const product = (operator: string, columns: number, ms: number) =>
  result(`${operator} ${columns === 1 ? "matvec" : `matmat${columns}`} ort`, ms, { operator, runtime: "ort", columns, measure: columns === 1 ? "matvec" : `matmat${columns}` });
const factors = (model: string, ms: number, batch: number) =>
  result(`kfac factors ${model} ort`, ms, { operator: "kfac", runtime: "ort", measure: "factors", model, batch });

describe("operators summary", () => {
  it("writes {operators: {tour_cnn, kfac_factors}} with the batching ratio matmat64 / (64 x matvec)", () => {
    const { report, lines } = summarizeOperators([
      toDense("hessian", "ort", 1400), toDense("hessian", "ort", 3000, true),
      toDense("ggn", "ort", 900), toDense("ggn", "js", 17_000, true),
      product("hessian", 1, 10), product("hessian", 64, 160),
      factors("mlp", 120, 128), factors("cnn", 450, 64),
    ]);
    const operators = report!.operators as { tour_cnn: Record<string, Record<string, number>>; kfac_factors: Record<string, Record<string, number>> };
    expect(operators.tour_cnn.hessian).toEqual({
      todense_ort_ms: 1400, todense_ort_fresh_ms: 3000, matvec_ms: 10, matmat64_ms: 160, matmat64_over_64_matvec: 0.25,
    });
    expect(operators.tour_cnn.ggn).toEqual({ todense_ort_ms: 900, todense_js_fresh_ms: 17_000 });
    expect(Object.keys(operators.tour_cnn)).toEqual(["hessian", "ggn"]);
    expect(operators.kfac_factors).toEqual({ mlp: { ort_ms: 120, batch: 128 }, cnn: { ort_ms: 450, batch: 64 } });

    const text = lines!.join("\n");
    expect(text).toContain("matmat64/(64 x matvec)");
    expect(lines!.find((line) => line.trimStart().startsWith("hessian"))).toMatch(/1400\s+3000\s+-\s+10\.0\s+160\s+0\.250$/);
    expect(text).toContain("mlp ort 120 ms (batch 128); cnn ort 450 ms (batch 64)");
  });

  it("leaves out what was not measured", () => {
    expect(summarizeOperators([factors("mlp", 120, 128)]).report).toEqual({ operators: { kfac_factors: { mlp: { ort_ms: 120, batch: 128 } } } });
    expect(summarizeOperators([product("kfac", 1, 0.5)]).report).toEqual({ operators: { tour_cnn: { kfac: { matvec_ms: 0.5 } } } });
  });
});
