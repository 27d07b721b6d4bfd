import { createRequire } from "node:module";

/**
 * The TrueType file of DejaVu Sans from the `dejavu-fonts-ttf` npm package.
 *
 * Why a font from npm: SVG text becomes pixels only through a font, and a bare
 * Debian or a CI container may have no system fonts at all, which would leave
 * titles and colorbar labels blank without an error. Shipping the font as a
 * dependency makes PNGs and GIFs look the same on every machine. DejaVu Sans is
 * also matplotlib's default font.
 */
export function defaultFontFile(): string {
  return createRequire(import.meta.url).resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf");
}

/** The family name inside {@link defaultFontFile}. */
export const DEFAULT_FONT_FAMILY = "DejaVu Sans";
