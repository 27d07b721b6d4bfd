import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decode } from "fast-png";
import { GifReader } from "omggif";
import { runStructuresTour } from "./tour.js";

describe("runStructuresTour", () => {
  const outDir = join(mkdtempSync(join(tmpdir(), "structures-tour-")), "nested", "out");
  const lines: string[] = [];
  const result = runStructuresTour({ outDir, dims: [2, 4, 8], panelSize: 32, log: (line) => lines.push(line) });

  it("prints the available structures as the seed does", () => {
    expect(lines[0]).toBe("['dense', 'diagonal', 'block30diagonal', 'hierarchical15_15', 'triltoeplitz', 'triutoeplitz']");
  });

  it("writes the comparison PNG into the folder it created", () => {
    const png = decode(readFileSync(result.comparisonPng));
    expect(result.comparisonPng.startsWith(outDir)).toBe(true);
    expect(png.width).toBeGreaterThan(2 * 32);
  });

  it("writes one GIF frame per dim, 1 s each and 2 s on the last (the seed's repeat_delay)", () => {
    const gif = new GifReader(readFileSync(result.animationGif));
    expect(gif.numFrames()).toBe(3);
    expect([0, 1, 2].map((i) => gif.frameInfo(i).delay)).toEqual([100, 100, 200]);
    expect(gif.loopCount()).toBe(0);
  });

  it("is reproducible: the same seed writes the same files", () => {
    const again = join(outDir, "again");
    const second = runStructuresTour({ outDir: again, dims: [2, 4, 8], panelSize: 32, log: () => {} });
    expect(readFileSync(second.animationGif).equals(readFileSync(result.animationGif))).toBe(true);
    expect(readFileSync(second.comparisonPng).equals(readFileSync(result.comparisonPng))).toBe(true);
    rmSync(join(outDir, "..", ".."), { recursive: true, force: true });
  });
});
