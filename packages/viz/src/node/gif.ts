import { ValueError } from "@curv/tensor";
import { parseColor, type Rgba } from "../colormap.js";
import { prepareFigure, type FigureOptions, type Panel } from "../figure.js";
import type { RgbaImage } from "../raster.js";
import { figureSvg } from "../svg.js";
import { gifenc } from "./gifenc-api.js";
import { svgToRgba } from "./png.js";

/** One frame of an animation: a figure (panels and options) and how long it shows. */
export interface AnimationFrame extends FigureOptions {
  panels: readonly (Panel | null)[];
  /** Milliseconds this frame shows; default: the animation's `delayMs`. */
  delayMs?: number;
}

/** Options of {@link animationGif}. */
export interface AnimationOptions {
  /** Default milliseconds per frame; default 1000. GIF stores delays in 10 ms steps. */
  delayMs?: number;
  /** Start over after the last frame; default `true`. */
  loop?: boolean;
}

const { GIFEncoder, quantize, applyPalette } = gifenc;

// GIF stores a delay as a 16-bit count of centiseconds.
const MAX_DELAY_MS = 65535 * 10;

/**
 * An animated GIF, one figure per frame (like matplotlib's `ArtistAnimation`).
 * Each frame has its own colour scale, shared by its panels, unless it gives
 * `vmin` and `vmax`. Frames of different sizes are padded at the bottom and
 * right with their background; each frame gets its own 256-colour palette.
 * Transparent pixels (a `"transparent"` background) are flattened onto white,
 * since GIF has no partial transparency. Node only.
 *
 * @example
 * ```ts
 * const gif = animationGif(
 *   dims.map((d) => ({ panels: [{ matrix: rand(d), title: `D = ${d}` }], delayMs: 1000 })),
 * );
 * writeFileAtomicSync("dims.gif", gif);
 * ```
 */
export function animationGif(frames: readonly AnimationFrame[], options: AnimationOptions = {}): Uint8Array {
  if (!Array.isArray(frames) || frames.length === 0) {
    throw new ValueError("animationGif: expected at least one frame");
  }
  const defaultDelay = checkDelay(options.delayMs ?? 1000, "delayMs");
  // Check every frame before rendering any, so bad input fails fast.
  const prepared = frames.map((frame, i) => {
    const { panels, delayMs, ...figureOptions } = frame;
    return {
      figure: prepareFigure(panels, figureOptions),
      delay: delayMs === undefined ? defaultDelay : checkDelay(delayMs, `frames[${i}].delayMs`),
    };
  });
  const images = prepared.map(({ figure }) => svgToRgba(figureSvg(figure)));
  const width = Math.max(...images.map((im) => im.width));
  const height = Math.max(...images.map((im) => im.height));
  const encoder = GIFEncoder();
  images.forEach((image, i) => {
    const rgba = padOnto(image, width, height, parseColor(prepared[i].figure.background));
    const palette = quantize(rgba, 256);
    encoder.writeFrame(applyPalette(rgba, palette), width, height, {
      palette,
      delay: prepared[i].delay,
      repeat: options.loop === false ? -1 : 0,
    });
  });
  encoder.finish();
  return encoder.bytes();
}

function checkDelay(delay: number, what: string): number {
  if (!(typeof delay === "number" && Number.isFinite(delay) && delay >= 0 && delay <= MAX_DELAY_MS)) {
    throw new ValueError(`${what}: expected milliseconds between 0 and ${MAX_DELAY_MS}, got ${delay}`);
  }
  return delay;
}

/**
 * Copies a premultiplied RGBA image into an opaque `width x height` one filled
 * with `background`, flattening partial transparency onto white.
 */
function padOnto(image: RgbaImage, width: number, height: number, background: Rgba): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  const [r, g, b, a] = background;
  const white = 255 - a;
  const fill = [Math.round((r * a) / 255 + white), Math.round((g * a) / 255 + white), Math.round((b * a) / 255 + white), 255];
  for (let p = 0; p < out.length; p += 4) out.set(fill, p);
  const src = image.data;
  for (let y = 0; y < image.height; y++) {
    let s = y * image.width * 4;
    let o = y * width * 4;
    for (let x = 0; x < image.width; x++, s += 4, o += 4) {
      // Premultiplied colour over white: c + (255 - alpha).
      const over = 255 - src[s + 3];
      out[o] = src[s] + over;
      out[o + 1] = src[s + 1] + over;
      out[o + 2] = src[s + 2] + over;
      out[o + 3] = 255;
    }
  }
  return out;
}
