import { tensor, Tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { compileFunction } from "../compile-function.js";
import { jvp } from "../transforms/jvp.js";
import { vjp } from "../transforms/vjp.js";
import { vmap } from "../transforms/batch.js";
import { embeddingLookup } from "./embedding.js";

// Token ids are integer data next to float parameters: the lookup is checked
// against indexing on the host, its pullback against the scatter-add written
// out by hand, and jvp / vjp / vmap with the ids as a (non-differentiable) argument.
const weight = tensor([[0.5, -1], [2, 0.25], [-3, 1.5], [4, -0.75]], { dtype: "float64" });
const tokens = tensor([[0n, 3n, 3n], [2n, 1n, 0n]], { dtype: "int64" });
const specs = { w: { dtype: "float64", shape: [4, 2] }, t: { dtype: "int64", shape: ["batch", 3] } } as const;

function rows(w: Tensor, ids: number[]): number[] {
  return ids.flatMap((i) => [w.data[2 * i], w.data[2 * i + 1]] as number[]);
}

describe("embeddingLookup", () => {
  it("picks rows of the table by integer ids, on js and ORT", async () => {
    for (const runtime of ["js", "ort"] as const) {
      const f = await compileFunction(({ w, t }) => ({ y: embeddingLookup(w, t) }), specs, { runtime });
      const { y } = await f.run({ w: weight, t: tokens });
      expect(y.shape).toEqual([2, 3, 2]);
      expect(Array.from(y.data as Float64Array)).toEqual(rows(weight, [0, 3, 3, 2, 1, 0]));
      await f.dispose();
    }
  });

  it("pulls a cotangent back to the table as a scatter-add, and gives the ids none", async () => {
    const cotangent = tensor(Array.from({ length: 12 }, (_, i) => i + 1), { dtype: "float64", shape: [2, 3, 2] });
    const f = await compileFunction(
      ({ w, t, c }) => {
        const [, pullback] = vjp(([table]) => [embeddingLookup(table, t)], [w]);
        return { wBar: pullback([c])[0] };
      },
      { ...specs, c: { dtype: "float64", shape: ["batch", 3, 2] } },
      { runtime: "js" },
    );
    const { wBar } = await f.run({ w: weight, t: tokens, c: cotangent });
    const expected = new Array<number>(8).fill(0);
    [0, 3, 3, 2, 1, 0].forEach((row, k) => {
      expected[2 * row] += cotangent.data[2 * k];
      expected[2 * row + 1] += cotangent.data[2 * k + 1];
    });
    expect(Array.from(wBar.data as Float64Array)).toEqual(expected);
  });

  it("is linear in the table under jvp, with the ids held fixed", async () => {
    const f = await compileFunction(
      ({ w, t, v }) => {
        const [, [tangent]] = jvp(([table]) => [embeddingLookup(table, t)], [w], [v]);
        return { tangent };
      },
      { ...specs, v: { dtype: "float64", shape: [4, 2] } },
      { runtime: "js" },
    );
    const v = tensor([[1, 2], [3, 4], [5, 6], [7, 8]], { dtype: "float64" });
    const { tangent } = await f.run({ w: weight, t: tokens, v });
    expect(Array.from(tangent.data as Float64Array)).toEqual(rows(v, [0, 3, 3, 2, 1, 0]));
  });

  it("maps over stacked tables with shared ids (vmap), as a loop would", async () => {
    const f = await compileFunction(
      ({ ws, t }) => ({ ys: vmap(([table]) => [embeddingLookup(table, t)], 2, [true])([ws])[0] }),
      { ws: { dtype: "float64", shape: [2, 4, 2] }, t: specs.t },
      { runtime: "js" },
    );
    const doubled = tensor(Array.from(weight.data as Float64Array, (x) => 2 * x), { dtype: "float64", shape: [4, 2] });
    const ws = tensor([...(weight.data as Float64Array), ...(doubled.data as Float64Array)], { dtype: "float64", shape: [2, 4, 2] });
    const { ys } = await f.run({ ws, t: tokens });
    expect(ys.shape).toEqual([2, 2, 3, 2]);
    const ids = [0, 3, 3, 2, 1, 0];
    expect(Array.from(ys.data as Float64Array)).toEqual([...rows(weight, ids), ...rows(doubled, ids)]);
  });

  it("rejects float ids and a table that is not a matrix", () => {
    expect(() => compileFunction(({ w, t }) => ({ y: embeddingLookup(w, t) }), { w: specs.w, t: { dtype: "float64", shape: [3] } })).toThrow(
      /indices must be int64 or int32, got float64/,
    );
    expect(() => compileFunction(({ w, t }) => ({ y: embeddingLookup(w, t) }), { w: { dtype: "float64", shape: [8] }, t: specs.t })).toThrow(
      /weight must be \[numEmbeddings, dim\], got rank 1/,
    );
  });
});
