// Everything @curv/viz exports on every platform: SVG figures and canvas drawing.
export { readMatrix, type Matrix, type MatrixLike } from "./matrix.js";
export { identityTransform, logAbs, type LogAbsOptions, type ValueTransform } from "./transform.js";
export { COLORMAP_NAMES, COLORMAP_SIZE, colormap, parseColor, type Colormap, type ColormapName, type Rgba } from "./colormap.js";
export { colorOf, colorScaleFor, type ColorScale, type ColorScaleOptions } from "./color-scale.js";
export { rasterize, type RgbaImage } from "./raster.js";
export { encodePng, pngDataUri } from "./png-encode.js";
export { DEFAULT_PANEL_SIZE, prepareFigure, type FigureOptions, type Panel, type PreparedFigure } from "./figure.js";
export { figureSvg, gridSvg, heatmapSvg, type HeatmapOptions } from "./svg.js";
export { drawHeatmap, type DrawHeatmapOptions, type ScratchCanvas } from "./canvas.js";
export { lineChartSvg, type LineChartOptions, type LineSeries } from "./line-chart.js";
