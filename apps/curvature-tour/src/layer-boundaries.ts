/**
 * The seed's marks of the layers on every heatmap: thin white lines between
 * layers and the layer numbers (1, 2, ...) as ticks below and left of the
 * matrix. @curv/viz has no option for marks inside a panel, so they are drawn
 * over its SVG: each panel's matrix is one `<image class="matrix" x y width
 * height>`, and a boundary after parameter `k` of `P` sits at `k / P` of the
 * image's width and height.
 */

/** Positions between layers: the cumulative parameter counts, without 0, P and repeats (layers without parameters). */
export function layerBoundaries(layerCounts: readonly number[]): number[] {
  const total = layerCounts.reduce((a, b) => a + b, 0);
  const boundaries: number[] = [];
  let position = 0;
  for (const count of layerCounts) {
    position += count;
    if (position > 0 && position < total && boundaries.at(-1) !== position) boundaries.push(position);
  }
  return boundaries;
}

const MATRIX_IMAGE = /<image class="matrix" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"[^>]*\/>/g;

// Layer numbers fit in the gaps @curv/viz leaves around a panel (12 px or more).
const LABEL_FONT_SIZE = 10;
const LABEL_GAP = 2;

/**
 * `svg` with a horizontal and a vertical white line at each boundary of every
 * matrix panel (of a `size x size` matrix), 0.5 units wide as in the seed,
 * and each layer's number centred on its rows (left) and columns (below).
 *
 * @example
 * ```ts
 * withLayerBoundaries(gridSvg(panels), [112, 516, 553], 683);
 * ```
 */
export function withLayerBoundaries(svg: string, boundaries: readonly number[], size: number): string {
  return svg.replace(MATRIX_IMAGE, (image, x: string, y: string, width: string, height: string) => {
    const [left, top, w, h] = [x, y, width, height].map(Number);
    const lines = boundaries.flatMap((b) => {
      const across = top + (h * b) / size;
      const down = left + (w * b) / size;
      return [
        `<line x1="${left}" y1="${across}" x2="${left + w}" y2="${across}"/>`,
        `<line x1="${down}" y1="${top}" x2="${down}" y2="${top + h}"/>`,
      ];
    });
    const edges = [0, ...boundaries, size];
    const labels = edges.slice(1).flatMap((end, layer) => {
      const middle = (edges[layer] + end) / 2 / size;
      const number = String(layer + 1);
      return [
        `<text x="${left + w * middle}" y="${top + h + LABEL_GAP + LABEL_FONT_SIZE}" text-anchor="middle">${number}</text>`,
        `<text x="${left - LABEL_GAP - 1}" y="${top + h * middle + LABEL_FONT_SIZE / 2 - 1}" text-anchor="end">${number}</text>`,
      ];
    });
    return (
      `${image}\n<g class="layer-boundaries" stroke="white" stroke-width="0.5">${lines.join("")}</g>` +
      `\n<g class="layer-numbers" font-size="${LABEL_FONT_SIZE}" fill="black">${labels.join("")}</g>`
    );
  });
}
