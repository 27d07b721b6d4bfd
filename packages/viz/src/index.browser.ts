// @curv/viz for browsers: SVG figures and canvas drawing; nothing that needs Node.
export * from "./common.js";
