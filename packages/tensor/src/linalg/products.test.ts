import { describe, it } from "vitest";
import { assertAllClose } from "../test/all-close.js";
import { subtractProductTransposed } from "./products.js";
import { naiveMatmul, naiveTranspose, randomMatrix } from "./test-matrices.js";

describe("subtractProductTransposed", () => {
  it.each([
    { rows: 3, cols: 4, depth: 5 },
    { rows: 70, cols: 33, depth: 65 },
    { rows: 2, cols: 2, depth: 0 },
  ])("C - A B^T on blocks inside larger arrays ($rows x $cols, depth $depth)", ({ rows, cols, depth }) => {
    // Embed each operand at offset (1, 2) of an array with two spare columns, to exercise offset and ld.
    const embed = (m: number, k: number, seed: number) => {
      const block = randomMatrix(m, k, seed);
      const ld = k + 4;
      const data = new Float64Array((m + 1) * ld).fill(NaN);
      for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) data[(i + 1) * ld + 2 + j] = block.data[i * k + j];
      return { block, view: { data, offset: ld + 2, ld } };
    };
    const a = embed(rows, depth, 1);
    const b = embed(cols, depth, 2);
    const c = embed(rows, cols, 3);
    subtractProductTransposed(c.view, a.view, b.view, rows, cols, depth);
    const expected = naiveMatmul(a.block, naiveTranspose(b.block));
    const actual = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        expected.data[i * cols + j] = c.block.data[i * cols + j] - expected.data[i * cols + j];
        actual[i * cols + j] = c.view.data[c.view.offset + i * c.view.ld + j];
      }
    }
    assertAllClose(actual, expected.data, { rtol: 0, atol: 1e-13 });
    // Entries outside the blocks stay untouched.
    assertAllClose([c.view.data[0], c.view.data[c.view.ld + 1]], [NaN, NaN]);
  });
});
