import { describe, expect, it } from "vitest";
import type { FloatDType } from "../dtype.js";
import { evaluateGraph, OPERATORS } from "../graph/index.js";
import type { Tolerance } from "../test/all-close.js";
import { compile } from "./compile-node.js";
import { assertSameOutputs, OPERATOR_CASES } from "./operator-cases.js";

/** ORT's CPU kernels against the interpreter: float32 to ORT's own rounding, float64 to 1e-12. */
const TOLERANCES: Record<FloatDType, Tolerance> = {
  float32: { rtol: 1e-5, atol: 1e-6 },
  float64: { rtol: 1e-12, atol: 1e-14 },
};

describe("operator parity: ORT's CPU provider against the interpreter", () => {
  it("has a case for every operator of the registry", () => {
    const missing = [...OPERATORS.keys()].filter((op) => OPERATOR_CASES[op] === undefined);
    expect(missing, "operators without a case in runtime/operator-cases.ts").toEqual([]);
    const unknown = Object.keys(OPERATOR_CASES).filter((op) => !OPERATORS.has(op));
    expect(unknown, "cases of operators the registry does not have").toEqual([]);
  });

  for (const dtype of ["float32", "float64"] as const) {
    for (const [op, cases] of Object.entries(OPERATOR_CASES)) {
      for (const operatorCase of cases) {
        it(`${op} (${operatorCase.label}) in ${dtype}`, async () => {
          const { graph, feeds } = operatorCase.build(dtype);
          const program = await compile(graph, { runtime: "ort", providers: ["cpu"] });
          try {
            assertSameOutputs(await program.run(feeds), evaluateGraph(graph, feeds), TOLERANCES[dtype], `${op} ${dtype}`);
          } finally {
            await program.dispose();
          }
        });
      }
    }
  }
});
