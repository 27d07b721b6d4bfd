// @curv/viz for Node: everything of the browser entry, plus PNG and GIF output
// (rendered with resvg and a bundled font).
export * from "./common.js";
export { DEFAULT_FONT_FAMILY, defaultFontFile } from "./node/font.js";
export { gridPng, heatmapPng, svgToPng, svgToRgba, type RasterOptions } from "./node/png.js";
export { animationGif, type AnimationFrame, type AnimationOptions } from "./node/gif.js";
