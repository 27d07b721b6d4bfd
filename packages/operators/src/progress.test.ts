import { describe, expect, it, vi } from "vitest";
import { createProgressBar, type ProgressStream } from "./progress.js";

function recorder(isTTY: boolean): ProgressStream & { text: string } {
  return { isTTY, text: "", write(chunk: string) { this.text += chunk; } };
}

describe("createProgressBar", () => {
  it("redraws one line on a terminal and ends it on finish", () => {
    const stream = recorder(true);
    const bar = createProgressBar({ total: 4, label: "toDense", enabled: true, stream, env: {} });
    expect(bar.active).toBe(true);
    bar.advance();
    bar.advance(3);
    bar.advance(); // past the end: stays at 4/4
    bar.finish();
    bar.finish();
    const frames = stream.text.split("\r").filter(Boolean);
    expect(frames).toHaveLength(4);
    expect(frames[0]).toBe(`toDense [${" ".repeat(30)}] 0/4`);
    expect(frames[1]).toBe(`toDense [${"#".repeat(8)}${" ".repeat(22)}] 1/4`);
    expect(frames[3]).toBe(`toDense [${"#".repeat(30)}] 4/4\n`);
  });

  const silent: [string, boolean, boolean, Record<string, string>][] = [
    ["not asked for", false, true, {}],
    ["stderr is not a terminal", true, false, {}],
    ["CI is set", true, true, { CI: "true" }],
    ["CI is set to an empty string", true, true, { CI: "" }],
  ];
  it.each(silent)("writes nothing when %s", (_, enabled, isTTY, env) => {
    const stream = recorder(isTTY);
    const bar = createProgressBar({ total: 2, label: "x", enabled, stream, env });
    bar.advance();
    bar.finish();
    expect(bar.active).toBe(false);
    expect(stream.text).toBe("");
  });

  // The defaults read globalThis.process; swap it for the length of one synchronous call.
  function withProcess<T>(value: unknown, run: () => T): T {
    vi.stubGlobal("process", value);
    try {
      return run();
    } finally {
      vi.unstubAllGlobals();
    }
  }

  it("writes to process.stderr and reads process.env by default", () => {
    const stderr = recorder(true);
    const bar = withProcess({ stderr, env: {} }, () => createProgressBar({ total: 1, label: "y", enabled: true }));
    expect(bar.active).toBe(true);
    expect(withProcess({ stderr, env: { CI: "1" } }, () => createProgressBar({ total: 1, label: "y", enabled: true })).active).toBe(false);
  });

  it("is off where there is no process (browsers)", () => {
    const bar = withProcess(undefined, () => createProgressBar({ total: 2, label: "x", enabled: true }));
    expect(bar.active).toBe(false);
  });
});
