import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const src = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(join(src, "..", "package.json"), "utf8"));

/** Every module specifier that `entry` reaches through relative imports, with the files it visits. */
function reachable(entry: string): { files: string[]; external: Set<string> } {
  const files: string[] = [];
  const external = new Set<string>();
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    const code = readFileSync(file, "utf8");
    for (const [, spec] of code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/g)) {
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
      else external.add(spec);
    }
    for (const [, spec] of code.matchAll(/(?:require|import)\("([^"]+)"\)/g)) external.add(spec);
  };
  visit(join(src, entry));
  return { files, external };
}

describe("entry points", () => {
  it("send browsers to an entry without Node-only modules", () => {
    expect(pkg.exports["."]["@curv/source"].browser).toBe("./src/index.browser.ts");
    expect(pkg.exports["."].browser).toBe("./dist/index.browser.js");
    // "types" comes first of the conditions a consumer can match (the workspace-only source condition precedes it).
    expect(Object.keys(pkg.exports["."]).filter((k) => k !== "@curv/source")[0]).toBe("types");
    const { files, external } = reachable("index.browser.ts");
    expect(files.some((f) => f.includes("/node/"))).toBe(false);
    for (const spec of external) expect(spec).not.toMatch(/^node:|resvg|gifenc|dejavu|napi-rs/);
  });

  it("give Node the PNG and GIF writers on top of the browser API", async () => {
    const node = await import("./index.js");
    const browser = await import("./index.browser.js");
    for (const name of Object.keys(browser)) expect(node).toHaveProperty(name);
    for (const name of ["heatmapPng", "gridPng", "svgToPng", "animationGif"]) {
      expect(typeof (node as Record<string, unknown>)[name]).toBe("function");
      expect(browser).not.toHaveProperty(name);
    }
    expect(reachable("index.ts").external).toContain("@resvg/resvg-js");
  });
});
