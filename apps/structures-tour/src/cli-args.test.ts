import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findRepoRoot, parseTourArguments } from "./cli-args.js";

describe("parseTourArguments", () => {
  it.each([
    [[], "/repo/out/structures-tour"],
    [["--", "--out", "pics"], "/home/me/pics"],
    [["--out=/tmp/x"], "/tmp/x"],
  ])("reads %j", (argv, outDir) => {
    expect(parseTourArguments(argv, "/home/me", "/repo")).toEqual({ outDir });
  });

  it.each([
    [["--out"], /--out needs a folder/],
    [["--size", "3"], /unknown argument "--size"/],
  ])("rejects %j with the usage line", (argv, message) => {
    expect(() => parseTourArguments(argv, "/home/me", "/repo")).toThrow(message);
    expect(() => parseTourArguments(argv, "/home/me", "/repo")).toThrow(/usage: pnpm --filter structures-tour start/);
  });
});

describe("findRepoRoot", () => {
  it("finds the folder with pnpm-workspace.yaml above the start", () => {
    const root = mkdtempSync(join(tmpdir(), "repo-"));
    writeFileSync(join(root, "pnpm-workspace.yaml"), "packages: []\n");
    const deep = join(root, "apps", "tour", "src");
    mkdirSync(deep, { recursive: true });
    expect(findRepoRoot(deep)).toBe(root);
  });
});
