/** The tour's two pictures, as the seed's `plot(logabs)` and `plot(unchanged)`: PNG and SVG each. */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomicSync, type Tensor } from "@curv/tensor";
import { gridSvg, identityTransform, logAbs, svgToPng, type ValueTransform } from "@curv/viz";
import { withLayerBoundaries } from "./layer-boundaries.js";

/** One matrix and its panel title. */
export interface TitledMatrix {
  readonly title: string;
  readonly matrix: Tensor;
}

/** One of the seed's two views of the matrices. */
interface FigureView {
  readonly fileStem: string;
  readonly transform: ValueTransform;
  readonly label: string;
}

/** The seed's `logabs` (log10 of |entries| clamped at 1e-6) and `unchanged` views, with its colorbar labels. */
const VIEWS: readonly FigureView[] = [
  { fileStem: "curvature-matrices-log-abs", transform: logAbs({ min: 1e-6 }), label: "Logarithmic absolute entries" },
  { fileStem: "curvature-matrices", transform: identityTransform, label: "Unaltered matrix entries" },
];

/** Options of {@link writeCurvatureFigures}. */
export interface CurvatureFigureOptions {
  readonly outDir: string;
  /** Parameter positions between layers, drawn as white lines. */
  readonly boundaries: readonly number[];
  /** Pixels per matrix side. */
  readonly panelSize: number;
}

/**
 * Writes each view as `<stem>.svg` and `<stem>.png`: the matrices on a grid
 * of 3 columns (2 x 3 for six), one colour scale for all panels (the seed's
 * shared `vmin`/`vmax`) and one colorbar. Returns the paths written.
 */
export function writeCurvatureFigures(matrices: readonly TitledMatrix[], options: CurvatureFigureOptions): string[] {
  mkdirSync(options.outDir, { recursive: true });
  const size = matrices[0].matrix.shape[0];
  const written: string[] = [];
  for (const view of VIEWS) {
    const svg = withLayerBoundaries(
      gridSvg(matrices.map(({ title, matrix }) => ({ title, matrix })), {
        columns: Math.min(3, matrices.length),
        transform: view.transform,
        colorbarLabel: view.label,
        panelSize: options.panelSize,
      }),
      options.boundaries,
      size,
    );
    const svgPath = join(options.outDir, `${view.fileStem}.svg`);
    const pngPath = join(options.outDir, `${view.fileStem}.png`);
    writeFileAtomicSync(svgPath, svg);
    writeFileAtomicSync(pngPath, svgToPng(svg));
    written.push(pngPath, svgPath);
  }
  return written;
}
