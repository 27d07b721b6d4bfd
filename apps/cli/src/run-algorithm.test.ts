import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadNpy } from "@curv/autodiff";
import { jsonTensor, mlpMsePath, readMlpMseGolden } from "@curv/fixtures";
import { hutchinsonTrace, xdiag } from "@curv/operators";
import { Generator, eigh } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const scratch = mkdtempSync(join(tmpdir(), "curv-algorithms-"));
const ggn = jsonTensor(readMlpMseGolden().matrices.ggn, "float64");
const fixtureArgs = [
  "--model", mlpMsePath("mlp-mse.onnx"), "--data", mlpMsePath("mlp-mse.data.npz"), "--loss", "mse", "--batch-size", "4",
  "--provider", "js", "--dtype", "float64", "--kind", "ggn",
];

async function curv(args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

describe("curv trace|diag|eig|spectrum on the fixture MLP's GGN (P = 88, float64, js)", () => {
  it("trace: exact equals the fixture's; Hutchinson equals the library on PyTorch's matrix with the same seed", async () => {
    const exactPath = join(scratch, "exact.json");
    expect((await curv(["trace", ...fixtureArgs, "--estimator", "exact", "--out", exactPath])).code).toBe(0);
    const exact = Array.from({ length: 88 }, (_, i) => ggn.get(i, i)).reduce((a, b) => a + b, 0);
    expect(readJson(exactPath).trace as number).toBeCloseTo(exact, 10);
    const out = join(scratch, "trace.json");
    const { code, stdout, stderr } = await curv(["trace", ...fixtureArgs, "--estimator", "hutchinson", "--num-matvecs", "30", "--probe-seed", "4", "--out", out]);
    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    expect(stdout[0]).toBe("ggn: P = 88");
    const reference = await hutchinsonTrace(ggn, 30, { generator: new Generator(4) });
    expect(Math.abs((readJson(out).trace as number) - reference) / reference).toBeLessThan(1e-10);
  });

  it("trace on ORT CPU in float32: XTrace with 40 matvecs is within 1e-3 of the fixture's trace", async () => {
    const out = join(scratch, "trace-f32.json");
    const args = fixtureArgs.map((a) => (a === "js" ? "cpu" : a === "float64" ? "float32" : a));
    const { code, stderr } = await curv(["trace", ...args, "--num-matvecs", "40", "--out", out]);
    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    const exact = Array.from({ length: 88 }, (_, i) => ggn.get(i, i)).reduce((a, b) => a + b, 0);
    expect(Math.abs((readJson(out).trace as number) - exact) / exact).toBeLessThan(1e-3);
  });

  it("diag: XDiag's .npy equals the library's on PyTorch's matrix with the same seed", async () => {
    const out = join(scratch, "diag.npy");
    expect((await curv(["diag", ...fixtureArgs, "--num-matvecs", "40", "--out", out])).code).toBe(0);
    const diagonal = loadNpy(new Uint8Array(readFileSync(out)));
    const reference = await xdiag(ggn, 40, { generator: new Generator(0) });
    const report = compare(diagonal, reference, { rtol: 1e-8, atol: 1e-10 });
    expect(report.ok, report.message).toBe(true);
  });

  it("eig: the top 4 eigenvalues and eigenvectors match eigh of the fixture's GGN", async () => {
    const out = join(scratch, "eig.json");
    const vectors = join(scratch, "eigenvectors.npy");
    const { code, stdout } = await curv(["eig", ...fixtureArgs, "--k", "4", "--eigenvectors", vectors, "--out", out]);
    expect(code).toBe(0);
    expect(stdout[1]).toMatch(/^eigenvalues \(LA\) = \[/);
    const reference = eigh(ggn).eigenvalues.toArray().slice(-4);
    const eigenvalues = readJson(out).eigenvalues as number[];
    eigenvalues.forEach((v, i) => expect(Math.abs(v - reference[i]) / reference[3]).toBeLessThan(1e-8));
    expect(loadNpy(new Uint8Array(readFileSync(vectors))).shape).toEqual([88, 4]);
  });

  it("spectrum: JSON grid and density (mass 1), PNG and SVG pictures", async () => {
    const out = join(scratch, "spectrum.json");
    const png = join(scratch, "spectrum.png");
    const svg = join(scratch, "spectrum.svg");
    const { code, stderr } = await curv(["spectrum", ...fixtureArgs, "--ncv", "40", "--num-points", "400", "--png", png, "--svg", svg, "--out", out]);
    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    const { grid, density } = readJson(out) as { grid: number[]; density: number[] };
    expect(grid).toHaveLength(400);
    let mass = 0;
    for (let i = 0; i + 1 < grid.length; i++) mass += ((density[i] + density[i + 1]) / 2) * (grid[i + 1] - grid[i]);
    expect(mass).toBeCloseTo(1, 2);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe("PNG");
    expect(readFileSync(svg, "utf8")).toContain("<svg");
  });

  it.each([
    [["trace", "--estimator", "xtrace"], /curv trace --estimator xtrace needs --num-matvecs N/],
    [["trace", "--num-matvecs", "88"], /numMatvecs \(88\) must be less than A's dimension \(88\)/],
    [["trace", "--estimator", "hutchpp", "--num-matvecs", "10"], /numMatvecs \(10\) must be divisible by 3/],
    [["trace", "--k", "3", "--num-matvecs", "4"], /--k does not apply to curv trace/],
    [["diag", "--estimator", "xdiag", "--num-matvecs", "4", "--distribution", "normal"], /Rademacher only/],
    [["eig", "--which", "XX"], /--which must be one of LA, SA, LM, SM, BE, got "XX"/],
    [["eig", "--k", "88"], /eigsh: k must be an integer in \[1, 87\], got 88/],
    [["spectrum", "--epsilon", "1e-3"], /--epsilon applies to curv spectrum --log only/],
    [["spectrum", "--kappa", "1"], /--kappa must be a number > 1/],
  ])("%j is one clear error", async (args, message) => {
    const out = join(scratch, `never-${args.join("-")}.json`);
    const [command, ...flags] = args;
    const { code, stderr } = await curv([command, ...fixtureArgs, ...flags, "--out", out]);
    expect(code).toBe(1);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/^curv: /);
    expect(stderr[0]).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it("--help prints the algorithms' usage", async () => {
    const { code, stdout } = await curv(["eig", "--help"]);
    expect(code).toBe(0);
    expect(stdout[0]).toMatch(/^usage: curv trace/);
  });
});
