// KFAC on a Transformer: the Linear layers inside attention (out_proj) and
// the feed-forward block (linear1, linear2) and the head are factored; the
// other parameters (in_proj_weight, the embedding, LayerNorms, positions)
// are refused by name, as curvlinops refuses parameters outside supported
// layers. Exactness where KFAC's assumptions hold: one sequence of one token
// (no sharing over positions, one datum), where type-2 KFAC equals the GGN's
// block diagonal (curvlinops' single-datum exactness case); float64, js.
import { CrossEntropyLoss, Embedding, Linear, Sequential, TransformerEncoderLayer } from "@curv/autodiff";
import { Generator, tensor, type Tensor } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { GGNLinearOperator } from "../curvature/ggn-linear-operator.js";
import { EKFACLinearOperator } from "./ekfac-linear-operator.js";
import { KFACLinearOperator } from "./kfac-linear-operator.js";
import { blockDiagonalPart, positions } from "./testing/dense-ggn.js";
import { ClassAxisFirst } from "./testing/kfac-models.js";

const generator = new Generator(8);
const model = new Sequential(
  new Embedding(6, 4, { generator, dtype: "float64" }),
  new TransformerEncoderLayer(4, 2, { dimFeedforward: 5, dropout: 0, batchFirst: true, activation: "gelu", generator, dtype: "float64" }),
  new Linear(4, 3, { generator, dtype: "float64" }),
  new ClassAxisFirst(),
);
const linearLayers = ["1.self_attn.out_proj", "1.linear1", "1.linear2", "2"];
const params = linearLayers.flatMap((layer) => [`${layer}.weight`, `${layer}.bias`]);
const options = { fisherType: "type-2", runtime: "js" } as const;

/** Joint [W | b] blocks, in the order of `params`. */
function groups(): number[][] {
  const sizes = new Map(model.namedParameters().map(([name, t]) => [name, t.size]));
  let offset = 0;
  return linearLayers.map((layer) => {
    const size = (sizes.get(`${layer}.weight`) as number) + (sizes.get(`${layer}.bias`) as number);
    const range = positions(offset, size);
    offset += size;
    return range;
  });
}

describe("KFAC on a Transformer's Linear layers", () => {
  it("one token of one sequence: type-2 KFAC is the GGN's block diagonal", async () => {
    const batches: [Tensor, Tensor][] = [[tensor([[4n]], { dtype: "int64" }), tensor([[2n]], { dtype: "int64" })]];
    const loss = new CrossEntropyLoss();
    const kfac = new KFACLinearOperator<"float64">(model, loss, params, batches, { ...options, separateWeightAndBias: false });
    const ggn = (await new GGNLinearOperator(model, loss, params, batches, { runtime: "js", dtype: "float64" }).toDense()) as Tensor<"float64">;
    const expected = blockDiagonalPart(ggn, groups());
    let largest = 0;
    for (const v of expected.data) largest = Math.max(largest, Math.abs(v));
    const report = compare(await kfac.toDense(), expected, { rtol: 1e-10, atol: 1e-10 * largest });
    expect(report.ok, report.message).toBe(true);
  });

  it("factors sequences (expand over tokens) and refuses the attention's in_proj, the embedding and the norms by name", async () => {
    const tokens = generator.integers(0, 6, [3, 4], "int64");
    const labels = generator.integers(0, 3, [3, 4], "int64");
    const kfac = new KFACLinearOperator<"float64">(model, new CrossEntropyLoss(), params, [[tokens, labels]], options);
    expect((await kfac.toDense()).shape).toEqual([kfac.shape[0], kfac.shape[0]]);
    const all = model.namedParameters().map(([name]) => name);
    expect(() => new KFACLinearOperator(model, new CrossEntropyLoss(), all, [[tokens, labels]], options)).toThrow(/supports the layers Linear, Conv2d, Embedding; the parameters "1.self_attn.in_proj_weight", "1.self_attn.in_proj_bias" of MultiheadAttention "1.self_attn".*"1.norm1.weight"/);
  });
});

describe("KFAC on Embedding (NNGeometry's transposed layer: A the token counts, G the output-gradient moment)", () => {
  const loss = new CrossEntropyLoss();
  const withEmbedding = ["0.weight", ...params];

  it("one token of one sequence: type-2 KFAC of the embedding and the Linear layers is the GGN's block diagonal", async () => {
    const batches: [Tensor, Tensor][] = [[tensor([[4n]], { dtype: "int64" }), tensor([[2n]], { dtype: "int64" })]];
    const kfac = new KFACLinearOperator<"float64">(model, loss, withEmbedding, batches, { ...options, separateWeightAndBias: false });
    const ggn = (await new GGNLinearOperator(model, loss, withEmbedding, batches, { runtime: "js", dtype: "float64" }).toDense()) as Tensor<"float64">;
    const expected = blockDiagonalPart(ggn, [positions(0, 6 * 4), ...groups().map((g) => g.map((i) => i + 6 * 4))]);
    let largest = 0;
    for (const v of expected.data) largest = Math.max(largest, Math.abs(v));
    const report = compare(await kfac.toDense(), expected, { rtol: 1e-10, atol: 1e-10 * largest });
    expect(report.ok, report.message).toBe(true);
    // The embedding's block is nonzero only on the looked-up row 4 (entries 16..19).
    const dense = (await kfac.toDense()).data;
    const P = kfac.shape[0];
    for (let i = 0; i < 24; i++) for (let j = 0; j < 24; j++) if (Math.floor(i / 4) !== 4 || Math.floor(j / 4) !== 4) expect(dense[i * P + j]).toBe(0);
    expect(dense[16 * P + 16]).toBeGreaterThan(0);
  });

  it("EKFAC of the embedding, one token of one example: the GGN's block too", async () => {
    const batches: [Tensor, Tensor][] = [[tensor([[3n]], { dtype: "int64" }), tensor([[1n]], { dtype: "int64" })]];
    const ekfac = new EKFACLinearOperator<"float64">(model, loss, ["0.weight"], batches, options);
    const ggn = (await new GGNLinearOperator(model, loss, ["0.weight"], batches, { runtime: "js", dtype: "float64" }).toDense()) as Tensor<"float64">;
    let largest = 0;
    for (const v of ggn.data) largest = Math.max(largest, Math.abs(v));
    const report = compare(await ekfac.toDense(), ggn, { rtol: 1e-10, atol: 1e-10 * largest });
    expect(report.ok, report.message).toBe(true);
  });

  it("sequences: A is the diagonal of token counts / (N T), and the block is A ⊗ G in the [V, d] weight's order (dense check)", async () => {
    const tokens = tensor([[0n, 1n, 1n, 5n], [1n, 3n, 0n, 1n], [5n, 5n, 2n, 1n]], { dtype: "int64" });
    const labels = generator.integers(0, 3, [3, 4], "int64");
    const kfac = new KFACLinearOperator<"float64">(model, loss, ["0.weight"], [[tokens, labels]], options);
    const { 0: factors } = await kfac.factors();
    expect(factors.kind).toBe("Embedding");
    const counts = [2, 5, 1, 1, 0, 3];
    const A = factors.inputCovariance as Tensor<"float64">;
    expect(A.shape).toEqual([6, 6]);
    for (let u = 0; u < 6; u++) for (let v = 0; v < 6; v++) expect(A.data[u * 6 + v]).toBeCloseTo(u === v ? counts[u] / 12 : 0, 14);
    const G = factors.gradientCovariance as Tensor<"float64">;
    expect(G.shape).toEqual([4, 4]);
    // The dense block: entry (v d + j, u d + k) = A[v, u] G[j, k].
    const dense = (await kfac.toDense()).data;
    for (let v = 0; v < 6; v++) for (let j = 0; j < 4; j++) for (let u = 0; u < 6; u++) for (let k = 0; k < 4; k++) {
      expect(dense[(v * 4 + j) * 24 + u * 4 + k]).toBeCloseTo(A.data[v * 6 + u] * G.data[j * 4 + k], 14);
    }
    expect(await kfac.trace()).toBeCloseTo((counts.reduce((a, b) => a + b, 0) / 12) * [0, 5, 10, 15].reduce((s, i) => s + G.data[i], 0), 12);
  });
});
