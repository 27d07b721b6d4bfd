import { createRequire } from "node:module";

// The part of gifenc 1.0.3 that curv calls, typed from gifenc's README (the
// package ships no types).

/** RGB(A) colours, at most 256. */
export type GifPalette = number[][];

export interface GifFrameOptions {
  palette?: GifPalette;
  /** Milliseconds; stored rounded to centiseconds. */
  delay?: number;
  /** 0 loops forever, -1 plays once; read from the first frame only. */
  repeat?: number;
}

export interface GifEncoder {
  writeFrame(index: Uint8Array, width: number, height: number, options?: GifFrameOptions): void;
  finish(): void;
  bytes(): Uint8Array;
}

export interface Gifenc {
  GIFEncoder(): GifEncoder;
  quantize(rgba: Uint8Array, maxColors: number): GifPalette;
  applyPalette(rgba: Uint8Array, palette: GifPalette): Uint8Array;
}

/**
 * gifenc, loaded through `require`. It has no `exports` map: Node's ESM loader
 * sees its CommonJS build as one default export, while bundlers pick its ESM
 * build, whose default export is something else. Requiring it gives the same
 * object everywhere this Node-only module runs.
 */
export const gifenc = createRequire(import.meta.url)("gifenc") as Gifenc;
