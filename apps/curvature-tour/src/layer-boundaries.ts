/**
 * The seed's thin white lines between layers on every heatmap. @curv/viz has
 * no option for lines inside a panel, so they are drawn over its SVG: each
 * panel's matrix is one `<image class="matrix" x y width height>`, and a
 * boundary after parameter `k` of `P` sits at `k / P` of the image's width
 * and height.
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

/**
 * `svg` with a horizontal and a vertical white line at each boundary of every
 * matrix panel (of a `size x size` matrix), 0.5 units wide as in the seed.
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
    return `${image}\n<g class="layer-boundaries" stroke="white" stroke-width="0.5">${lines.join("")}</g>`;
  });
}
