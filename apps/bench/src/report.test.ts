import { describe, expect, it } from "vitest";
import type { CaseResult } from "./measure-case.js";
import { buildReport, formatNumber, machineInfo, tableHeader, tableLayout, tableRow } from "./report.js";

const result = (overrides: Partial<CaseResult>): CaseResult => ({
  suite: "linalg",
  name: "eigh n=512",
  n: 512,
  medianMs: 250,
  meanMs: 260,
  samples: 5,
  opsPerSecond: 4,
  extra: {},
  ...overrides,
});

describe("buildReport", () => {
  it("nests cases under their suites with snake_case numbers and the extra fields", () => {
    const machine = machineInfo();
    const report = buildReport(
      [
        result({}),
        result({ name: "cholesky n=512", gflopsPerSecond: 1.5, extra: { dtype: "float64" } }),
        result({ suite: "matmul", name: "matmul float32 n=256", n: undefined }),
      ],
      machine,
      new Date("2026-01-02T03:04:05Z"),
      ["512"],
    );
    expect(report.date).toBe("2026-01-02T03:04:05.000Z");
    expect(report.filters).toEqual(["512"]);
    expect(report.machine).toBe(machine);
    expect(Object.keys(report.suites)).toEqual(["linalg", "matmul"]);
    expect(report.suites.linalg["eigh n=512"]).toEqual({ median_ms: 250, mean_ms: 260, samples: 5, ops_per_s: 4, n: 512 });
    expect(report.suites.linalg["cholesky n=512"]).toMatchObject({ gflops_per_s: 1.5, dtype: "float64" });
    expect(report.suites.matmul["matmul float32 n=256"]).not.toHaveProperty("n");
  });
});

describe("machineInfo", () => {
  it("describes this process", () => {
    const info = machineInfo();
    expect(info.node).toBe(process.version);
    expect(info.cpus).toBeGreaterThan(0);
    expect(info.totalMemoryGiB).toBeGreaterThan(0);
  });
});

describe("table", () => {
  it("lines rows up under the header, with name columns as wide as the longest name", () => {
    const longName = "a case name longer than its column title";
    const layout = tableLayout([{ suite: "linalg", name: "eigh n=512" }, { suite: "structures", name: longName }]);
    const [titles, rule] = tableHeader(layout);
    const row = tableRow(layout, result({ gflopsPerSecond: 12.345 }));
    expect(tableRow(layout, result({ suite: "structures", name: longName })).length).toBe(titles.length);
    expect(titles.startsWith("suite       case")).toBe(true); // "structures" is 10 wide, then two spaces
    expect(rule).toMatch(/^-+$/);
    expect(rule.length).toBe(titles.length);
    expect(row.length).toBe(titles.length);
    // Right-aligned numbers end where their titles end.
    expect(row.indexOf("250.0") + "250.0".length).toBe(titles.indexOf("median ms") + "median ms".length);
    expect(row).toContain("12.35");
  });
});

describe("formatNumber", () => {
  it.each([
    { x: 0, text: "0" },
    { x: 1234.5678, text: "1235" },
    { x: 12.3456, text: "12.35" },
    { x: 0.012345, text: "0.01235" },
    { x: 1e-9, text: "0.000000" },
    { x: Infinity, text: "Infinity" },
  ])("$x -> $text", ({ x, text }) => {
    expect(formatNumber(x)).toBe(text);
  });
});
