import { describe, expect, it } from "vitest";
import { parseProvider } from "./cli-args.js";
import { loadFixtureProblem } from "./fixture-problem.js";
import { runSubmatricesTutorial } from "./submatrices-tutorial.js";

const problem = loadFixtureProblem();

describe("loadFixtureProblem", () => {
  it("reads the fixture MLP (88 parameters), its two batches of 4 and PyTorch's 88 x 88 Hessian", () => {
    expect(problem.paramDims).toEqual([35, 5, 25, 5, 15, 3]);
    expect(problem.data.map(([X, y]) => [X.dtype, X.shape, y.shape])).toEqual([["float64", [4, 7], [4, 3]], ["float64", [4, 7], [4, 3]]]);
    expect(problem.referenceHessian.shape).toEqual([88, 88]);
  });
});

describe("runSubmatricesTutorial", async () => {
  const lines: string[] = [];
  const result = await runSubmatricesTutorial(problem, { provider: "js", timingRepeats: 2, log: (line) => lines.push(line) });

  it("reproduces every block of PyTorch's Hessian within curvlinops' tolerance", () => {
    expect(result.checks.map((c) => [c.name.split(" ")[0], c.shape, c.ok])).toEqual([
      ["H", [88, 88], true],
      ["H_param0", [35, 35], true],
      ["H_param0_param1", [35, 5], true],
      ["H_sub", [3, 3], true],
      ["H_param0_alternative", [35, 35], true],
    ]);
    for (const c of result.checks) expect(c.maxAbsError).toBeLessThan(1e-12);
  });

  it("prints each check's max error and the two matvec timings as the seed does", () => {
    expect(lines.filter((l) => /max \|error\| = \S+ \(allclose\)$/.test(l))).toHaveLength(5);
    expect(lines.slice(-2).map((l) => l.replace(/[\d.e+-]+ s$/, "T s"))).toEqual(["H_param0.matvec: T s", "H_param0_alternative.matvec: T s"]);
  });
});

describe("parseProvider", () => {
  it("reads --provider in both spellings, and nothing without it", () => {
    expect(parseProvider(["--", "--provider", "js"])).toBe("js");
    expect(parseProvider(["--provider=cpu"])).toBe("cpu");
    expect(parseProvider([])).toBeUndefined();
  });

  it.each([
    [["--provider", "tpu"], /--provider must be one of cpu, cuda, webgpu, js, got "tpu"/],
    [["--provider"], /--provider must be one of .*, got ""/],
    [["--out", "x"], /unknown argument "--out"/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseProvider(argv)).toThrow(message);
  });
});
