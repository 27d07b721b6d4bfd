import { COLORMAP_SIZE } from "./colormap.js";
import type { ColorScale } from "./color-scale.js";
import { FONT, type ColorbarLayout } from "./layout.js";
import { pngDataUri } from "./png-encode.js";
import type { RgbaImage } from "./raster.js";
import { frameSvg, px, textSvg } from "./svg-elements.js";

/**
 * The colorbar: the colormap from vmin (bottom) to vmax (top) as an image of
 * the bar's exact pixel size, value ticks on its right, and a label reading
 * upward, as matplotlib's `fig.colorbar` draws it.
 */
export function colorbarSvg(scale: ColorScale, layout: ColorbarLayout, label: string): string {
  const { bar } = layout;
  const parts = [
    `<g class="colorbar">`,
    `<image class="colorbar-gradient" x="${bar.x}" y="${bar.y}" width="${bar.width}" height="${bar.height}" ` +
      `preserveAspectRatio="none" xlink:href="${pngDataUri(gradientImage(scale, bar.width, bar.height))}"/>`,
    frameSvg(bar.x, bar.y, bar.width, bar.height),
    `<g class="ticks" stroke="black" stroke-width="1">`,
  ];
  const right = bar.x + bar.width;
  for (const t of layout.ticks) {
    // Snap to a pixel centre so a 1-pixel tick line stays crisp.
    const y = Math.round(bar.y + (1 - t.at) * bar.height - 0.5) + 0.5;
    parts.push(`<line x1="${px(right + 0.5)}" y1="${px(y)}" x2="${px(right + 4.5)}" y2="${px(y)}"/>`);
    parts.push(textSvg("tick-label", right + 7, y + FONT.tick * 0.35, FONT.tick, t.label, "start", ` stroke="none"`));
  }
  parts.push("</g>");
  if (label) {
    const { x, y } = layout.label;
    parts.push(textSvg("colorbar-label", x, y, FONT.colorbarLabel, label, "middle", ` transform="rotate(-90 ${px(x)} ${px(y)})"`));
  }
  parts.push("</g>");
  return parts.join("\n");
}

/** A vertical ramp through the colormap, top row the highest colour. */
function gradientImage(scale: ColorScale, width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  const table = scale.colormap.table;
  for (let y = 0; y < height; y++) {
    const t = 1 - (y + 0.5) / height; // value of the row's centre, 0 = vmin, 1 = vmax
    const k = Math.min(COLORMAP_SIZE - 1, Math.floor(t * COLORMAP_SIZE));
    for (let x = 0; x < width; x++) data.set(table.subarray(4 * k, 4 * k + 4), (y * width + x) * 4);
  }
  return { width, height, data };
}
