import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { SUPPORTED_STRUCTURES } from "@curv/structures";
import { Generator, writeFileAtomicSync } from "@curv/tensor";
import { animationGif, gridPng, type AnimationFrame } from "@curv/viz";
import { randomSymmetric } from "./random-symmetric.js";
import { capitalize, structureApproximations } from "./structure-approximations.js";

/** Options of {@link runStructuresTour}. */
export interface StructuresTourOptions {
  /** Folder for the pictures; created if missing. */
  outDir: string;
  /** Matrix dimensions, one animation frame each; default 2, 4, ..., 128 as in the seed. */
  dims?: readonly number[];
  /** Seed of the random matrices; default 0 (the seed calls `manual_seed(0)`). */
  seed?: number;
  /** Pixels per matrix; default 256. */
  panelSize?: number;
  /** Where the printed lines go; default `console.log`. */
  log?: (line: string) => void;
}

/** The files the tour wrote. */
export interface StructuresTourResult {
  readonly structureNames: readonly string[];
  /** The 10 x 10 matrix beside its diagonal approximation. */
  readonly comparisonPng: string;
  /** Every structure over all dims, one frame per dim. */
  readonly animationGif: string;
}

// The seed's FuncAnimation shows each frame for interval=1000 ms and waits
// repeat_delay=1000 ms more before starting over.
const FRAME_DELAY_MS = 1000;
const REPEAT_DELAY_MS = 1000;

/**
 * Runs SINGD's "Overview of Structures" example: prints the available
 * structures, writes a random symmetric 10 x 10 matrix beside its diagonal
 * approximation (shared colour limits), and an animated GIF of every
 * structure's approximation per dimension on a 3-column grid.
 *
 * @example
 * ```ts
 * runStructuresTour({ outDir: "out/structures-tour" });
 * ```
 */
export function runStructuresTour(options: StructuresTourOptions): StructuresTourResult {
  const { outDir, dims = [2, 4, 8, 16, 32, 64, 128], seed = 0, panelSize = 256, log = console.log } = options;
  const generator = new Generator(seed);
  mkdirSync(outDir, { recursive: true });

  // Available structures, printed as the seed's Python list.
  const structureNames = Object.keys(SUPPORTED_STRUCTURES);
  log(`[${structureNames.map((name) => `'${name}'`).join(", ")}]`);

  // Basic visualization: a 10 x 10 matrix and its diagonal approximation, with shared limits.
  const comparison = structureApproximations(randomSymmetric(generator, 10), ["diagonal"]);
  const comparisonPng = join(outDir, "original-vs-diagonal.png");
  writeFileAtomicSync(
    comparisonPng,
    gridPng(comparison.map(({ name, matrix }) => ({ matrix, title: capitalize(name) })), { panelSize }),
  );
  log(`wrote ${comparisonPng}`);

  // Animation: one frame per dimension, every structure on a 3-column grid, limits shared per frame.
  const frames = dims.map((dim, k): AnimationFrame => ({
    panels: structureApproximations(randomSymmetric(generator, dim), structureNames).map(({ name, matrix }) => ({
      matrix,
      title: `${capitalize(name)} (D = ${dim})`,
    })),
    columns: 3,
    panelSize,
    delayMs: k === dims.length - 1 ? FRAME_DELAY_MS + REPEAT_DELAY_MS : FRAME_DELAY_MS,
  }));
  const gifPath = join(outDir, "structures.gif");
  writeFileAtomicSync(gifPath, animationGif(frames));
  log(`wrote ${gifPath} (${frames.length} frames)`);

  return { structureNames, comparisonPng, animationGif: gifPath };
}
