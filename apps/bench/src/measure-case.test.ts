import { describe, expect, it } from "vitest";
import { measureCase } from "./measure-case.js";

describe("measureCase", () => {
  it("times at least the requested iterations and derives ops/s and GFLOP/s from the median", async () => {
    let calls = 0;
    const benchCase = { name: "noop", n: 3, flops: 1e6, iterations: 4, extra: { tag: "x" }, prepare: () => () => {} };
    const result = await measureCase("demo", benchCase, () => {
      calls++;
    }, { minTimeMs: 0 });
    expect(result.samples).toBeGreaterThanOrEqual(4);
    expect(calls).toBeGreaterThanOrEqual(result.samples);
    expect(result).toMatchObject({ suite: "demo", name: "noop", n: 3, extra: { tag: "x" } });
    expect(result.opsPerSecond).toBeCloseTo(1000 / result.medianMs, 6);
    expect(result.gflopsPerSecond).toBeCloseTo(1e6 / (result.medianMs * 1e6), 6);
  });

  it("awaits asynchronous functions inside the timing", async () => {
    let finished = 0;
    const result = await measureCase("demo", { name: "async", iterations: 2, prepare: () => () => {} }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      finished++;
    }, { minTimeMs: 0 });
    expect(finished).toBeGreaterThanOrEqual(result.samples);
    expect(result.gflopsPerSecond).toBeUndefined();
  });

  it("rejects with the case's error", async () => {
    const failing = () => {
      throw new Error("boom");
    };
    await expect(measureCase("demo", { name: "fails", iterations: 1, prepare: () => failing }, failing, { minTimeMs: 0 })).rejects.toThrow(/boom/);
  });
});
