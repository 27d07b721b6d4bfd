import { describe, expect, it } from "vitest";
import { parseTourArguments } from "./cli-args.js";

describe("parseTourArguments", () => {
  it("defaults to out/curvature-tour in the repository and the default provider", () => {
    expect(parseTourArguments([], "/home/user", "/repo")).toEqual({ outDir: "/repo/out/curvature-tour", provider: undefined });
  });

  it("reads --out (relative to the user's folder) and --provider, in both spellings, after pnpm's --", () => {
    expect(parseTourArguments(["--", "--out", "pictures", "--provider=js"], "/home/user", "/repo")).toEqual({ outDir: "/home/user/pictures", provider: "js" });
    expect(parseTourArguments(["--out=/tmp/x", "--provider", "cuda"], "/home/user", "/repo")).toEqual({ outDir: "/tmp/x", provider: "cuda" });
  });

  it.each([
    [["--provider", "tpu"], /--provider must be one of cpu, cuda, webgpu, js, got "tpu"/],
    [["--out"], /--out needs a value/],
    [["--size", "3"], /unknown argument "--size"/],
  ])("rejects %j with the usage", (argv, message) => {
    expect(() => parseTourArguments(argv, "/", "/repo")).toThrow(message);
    expect(() => parseTourArguments(argv, "/", "/repo")).toThrow(/usage: pnpm --filter curvature-tour start/);
  });
});
