import {
  interpolateCividis, interpolateGreys, interpolateInferno, interpolateMagma, interpolatePlasma,
  interpolateRdBu, interpolateTurbo, interpolateViridis,
} from "d3-scale-chromatic";
import { color as parseCssColor } from "d3-color";
import { ValueError } from "@curv/tensor";

/** A colour as red, green, blue, alpha bytes (0-255). */
export type Rgba = readonly [number, number, number, number];

/** Number of colours in a colormap's lookup table, as matplotlib's default `N`. */
export const COLORMAP_SIZE = 256;

/**
 * A colormap: {@link COLORMAP_SIZE} opaque colours from low to high, stored as
 * RGBA bytes so that colouring a pixel is one table look-up.
 */
export interface Colormap {
  readonly name: string;
  /** `COLORMAP_SIZE * 4` bytes; colour `k` is at `table[4k .. 4k + 3]`. */
  readonly table: Uint8Array;
}

// Perceptually uniform maps (matplotlib's viridis family, the same tables d3
// ships), turbo for rainbow lovers, greys, and RdBu for signed data. `RdBu` runs
// red (low) to blue (high) as in d3 and matplotlib; pair it with symmetric limits.
const INTERPOLATORS = {
  viridis: interpolateViridis,
  magma: interpolateMagma,
  inferno: interpolateInferno,
  plasma: interpolatePlasma,
  cividis: interpolateCividis,
  turbo: interpolateTurbo,
  greys: interpolateGreys,
  RdBu: interpolateRdBu,
} satisfies Record<string, (t: number) => string>;

/** Names accepted by {@link colormap}. */
export type ColormapName = keyof typeof INTERPOLATORS;

/** All colormap names, default (`viridis`) first. */
export const COLORMAP_NAMES = Object.keys(INTERPOLATORS) as ColormapName[];

const cache = new Map<string, Colormap>();

/**
 * A named colormap, or one sampled from any `t -> CSS colour` interpolator
 * (`t` in [0, 1]), such as the other `interpolate*` functions of d3-scale-chromatic.
 *
 * @example
 * ```ts
 * colormap("viridis").table.subarray(0, 3); // [68, 1, 84]: viridis' darkest purple
 * colormap({ name: "blues", interpolate: interpolateBlues });
 * ```
 */
export function colormap(spec: ColormapName | { name: string; interpolate: (t: number) => string }): Colormap {
  if (typeof spec === "object") return sample(spec.name, spec.interpolate);
  const interpolate = INTERPOLATORS[spec as ColormapName];
  if (interpolate === undefined) {
    throw new ValueError(`colormap: unknown name "${String(spec)}"; expected one of ${COLORMAP_NAMES.join(", ")}`);
  }
  let map = cache.get(spec);
  if (map === undefined) cache.set(spec, (map = sample(spec, interpolate)));
  return map;
}

function sample(name: string, interpolate: (t: number) => string): Colormap {
  const table = new Uint8Array(COLORMAP_SIZE * 4);
  for (let k = 0; k < COLORMAP_SIZE; k++) {
    const [r, g, b] = parseColor(interpolate(k / (COLORMAP_SIZE - 1)), `colormap "${name}" at ${k}`);
    table.set([r, g, b, 255], 4 * k);
  }
  return { name, table };
}

/** Parses a CSS colour (`"#21918c"`, `"rgb(1, 2, 3)"`, `"white"`, `"transparent"`) into {@link Rgba}. */
export function parseColor(css: string, what = "color"): Rgba {
  const parsed = typeof css === "string" ? parseCssColor(css)?.rgb() : undefined;
  // d3 parses "transparent" as rgba(NaN, NaN, NaN, 0); any fully transparent colour is the same pixel.
  if (parsed?.opacity === 0) return [0, 0, 0, 0];
  if (!parsed || !parsed.displayable()) throw new ValueError(`${what}: ${JSON.stringify(css)} is not a CSS colour`);
  return [Math.round(parsed.r), Math.round(parsed.g), Math.round(parsed.b), Math.round(parsed.opacity * 255)];
}
