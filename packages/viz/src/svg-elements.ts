// Small SVG element writers shared by the figure and colorbar writers.

/** Escapes text for SVG character data and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/**
 * Fonts for SVG text: DejaVu Sans first, the font the PNG renderer ships and
 * matplotlib's default, then common sans-serif fallbacks for browsers.
 */
export const FONT_FAMILY = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif";

/** Formats a pixel coordinate compactly (integers stay integers, halves keep one digit). */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** A 1-pixel black frame just outside a box (matplotlib's axes spines), leaving its pixels untouched. */
export function frameSvg(x: number, y: number, width: number, height: number): string {
  return `<rect class="frame" x="${px(x - 0.5)}" y="${px(y - 0.5)}" width="${width + 1}" height="${height + 1}" fill="none" stroke="black" stroke-width="1"/>`;
}

/** A text element; `anchor` is SVG's `text-anchor`. */
export function textSvg(cls: string, x: number, y: number, size: number, text: string, anchor = "middle", extra = ""): string {
  return `<text class="${cls}" x="${px(x)}" y="${px(y)}" font-size="${size}" text-anchor="${anchor}"${extra}>${escapeXml(text)}</text>`;
}
