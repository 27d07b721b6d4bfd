// The Transformer layers against independent references: attention written
// out per example and per head on the host (softmax of q k^T / sqrt(d_h),
// masks as -inf), the encoder layer's residual/norm order, GELU against
// its closed forms, Embedding against indexing; then toOnnx -> importOnnx
// round trips with token inputs. PyTorch's numbers themselves are checked by
// the transformer-dev fixture (packages/operators).
import { Generator, tensor, Tensor, type Dim } from "@curv/tensor";
import { assertAllClose } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { importOnnx } from "../onnx-import/import-onnx.js";
import { toOnnx } from "../onnx-import/to-onnx.js";
import { GELU, Softmax } from "./activations.js";
import { compileModel } from "./compile-model.js";
import { Embedding } from "./embedding.js";
import { Flatten } from "./flatten.js";
import { Linear } from "./linear.js";
import type { Module } from "./module.js";
import { MultiheadAttention } from "./multihead-attention.js";
import { Sequential } from "./sequential.js";
import { TransformerEncoderLayer } from "./transformer-encoder-layer.js";

const generator = new Generator(21);
const f64 = (shape: number[]) => generator.normal(shape, { dtype: "float64" });

async function run(model: Module, x: Tensor, shape: Dim[] = ["batch", ...x.shape.slice(1)]): Promise<Tensor> {
  const compiled = await compileModel(model, { dtype: x.dtype, shape }, { runtime: "js" });
  return compiled.run(x);
}

/** Host attention for one example `x` `[T, E]`: the reference for MultiheadAttention (batch_first). */
function hostAttention(x: number[][], layer: MultiheadAttention, masked: (i: number, j: number) => boolean): number[][] {
  const state = layer.stateDict();
  const W = state.in_proj_weight as Tensor<"float64">;
  const b = state.in_proj_bias as Tensor<"float64">;
  const E = layer.embedDim;
  const H = layer.numHeads;
  const d = layer.headDim;
  const project = (row: number[], r: number) => row.reduce((s, v, c) => s + v * W.data[r * E + c], b.data[r]);
  const qkv = x.map((row) => Array.from({ length: 3 * E }, (_, r) => project(row, r)));
  const merged = x.map(() => new Array<number>(E).fill(0));
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < x.length; i++) {
      const scores = x.map((_, j) => {
        if (masked(i, j)) return -Infinity;
        let s = 0;
        for (let k = 0; k < d; k++) s += qkv[i][h * d + k] * qkv[j][E + h * d + k];
        return s / Math.sqrt(d);
      });
      const top = Math.max(...scores);
      const weights = scores.map((s) => Math.exp(s - top));
      const total = weights.reduce((a, w) => a + w, 0);
      for (let k = 0; k < d; k++) merged[i][h * d + k] = weights.reduce((a, w, j) => a + (w / total) * qkv[j][2 * E + h * d + k], 0);
    }
  }
  const Wo = state["out_proj.weight"] as Tensor<"float64">;
  const bo = state["out_proj.bias"] as Tensor<"float64">;
  return merged.map((row) => Array.from({ length: E }, (_, r) => row.reduce((s, v, c) => s + v * Wo.data[r * E + c], bo.data[r])));
}

function rowsOf(t: Tensor, example: number): number[][] {
  const [, T, E] = t.shape;
  return Array.from({ length: T }, (_, i) => Array.from({ length: E }, (_, j) => t.data[example * T * E + i * E + j] as number));
}

describe("MultiheadAttention", () => {
  it("names and lays out its parameters as PyTorch", () => {
    const layer = new MultiheadAttention(8, 2, { batchFirst: true, dtype: "float64" });
    expect(layer.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ["in_proj_weight", [24, 8]], ["in_proj_bias", [24]], ["out_proj.weight", [8, 8]], ["out_proj.bias", [8]],
    ]);
  });

  it.each([
    { mask: "none", options: {}, masked: () => false },
    { mask: "causal", options: { isCausal: true }, masked: (i: number, j: number) => j > i },
    { mask: "a bool attn_mask", options: { attnMask: tensor([[false, true, false], [false, false, true], [true, false, false]], { dtype: "bool" }) }, masked: (i: number, j: number) => (j - i + 3) % 3 === 1 },
  ])("equals attention written out on the host, mask $mask", async ({ options, masked }) => {
    const layer = new MultiheadAttention(4, 2, { batchFirst: true, generator, dtype: "float64", ...options });
    layer.loadStateDict({ ...layer.stateDict(), in_proj_bias: f64([12]), "out_proj.bias": f64([4]) });
    const x = f64([2, 3, 4]);
    const y = await run(layer, x);
    for (const n of [0, 1]) assertAllClose(rowsOf(y, n).flat(), hostAttention(rowsOf(x, n), layer, masked).flat(), { rtol: 1e-13, atol: 1e-13 }, `example ${n}`);
  });

  it("takes [T, batch, E] unless batchFirst, with the same numbers", async () => {
    const first = new MultiheadAttention(4, 2, { batchFirst: true, generator, dtype: "float64" });
    const second = new MultiheadAttention(4, 2, { generator, dtype: "float64" });
    second.loadStateDict(first.stateDict());
    const x = f64([2, 3, 4]);
    const seqFirst = new Tensor("float64", [3, 2, 4], Float64Array.from({ length: 24 }, (_, k) => x.data[(k % 8 >= 4 ? 12 : 0) + Math.floor(k / 8) * 4 + (k % 4)] as number));
    const yFirst = await run(first, x);
    const ySecond = await run(second, seqFirst, [3, "batch", 4]);
    for (let t = 0; t < 3; t++) for (let n = 0; n < 2; n++) for (let e = 0; e < 4; e++) {
      expect(ySecond.data[t * 8 + n * 4 + e]).toBeCloseTo(yFirst.data[n * 12 + t * 4 + e] as number, 13);
    }
  });

  it("rejects an embedding not divisible by the heads and a mask of the wrong length", async () => {
    expect(() => new MultiheadAttention(6, 4)).toThrow(/embedDim 6 must be divisible by numHeads 4/);
    const layer = new MultiheadAttention(4, 2, { batchFirst: true, attnMask: tensor([[0, 1], [0, 0]], { dtype: "float64" }), dtype: "float64" });
    await expect(run(layer, f64([1, 3, 4]))).rejects.toThrow(/attnMask is \[2, 2\] but the sequence has 3 positions/);
  });
});

describe("TransformerEncoderLayer", () => {
  it.each([{ normFirst: false }, { normFirst: true }])("normFirst $normFirst: residuals and norms in PyTorch's order", async ({ normFirst }) => {
    const layer = new TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, batchFirst: true, normFirst, activation: "gelu", generator, dtype: "float64" });
    expect(layer.namedParameters().map(([n]) => n)).toEqual([
      "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
      "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
    ]);
    const state = layer.stateDict();
    const attention = new MultiheadAttention(4, 2, { batchFirst: true, dtype: "float64" });
    attention.loadStateDict(Object.fromEntries(Object.entries(state).filter(([k]) => k.startsWith("self_attn.")).map(([k, v]) => [k.slice(10), v])));
    const feedForward = new Sequential(new Linear(4, 6, { dtype: "float64" }), new GELU(), new Linear(6, 4, { dtype: "float64" }));
    feedForward.loadStateDict({ "0.weight": state["linear1.weight"], "0.bias": state["linear1.bias"], "2.weight": state["linear2.weight"], "2.bias": state["linear2.bias"] });
    const x = f64([2, 3, 4]);
    const norm = (t: Tensor) => {
      // LayerNorm with the (default) unit weight and zero bias.
      const out = new Float64Array(t.size);
      for (let r = 0; r < t.size / 4; r++) {
        const row = Array.from({ length: 4 }, (_, c) => t.data[r * 4 + c] as number);
        const mu = row.reduce((a, v) => a + v, 0) / 4;
        const variance = row.reduce((a, v) => a + (v - mu) ** 2, 0) / 4;
        row.forEach((v, c) => (out[r * 4 + c] = (v - mu) / Math.sqrt(variance + 1e-5)));
      }
      return new Tensor("float64", t.shape, out);
    };
    const plus = (a: Tensor, b: Tensor) => new Tensor("float64", a.shape, Float64Array.from(a.data as Float64Array, (v, i) => v + (b.data[i] as number)));
    let expected: Tensor;
    if (normFirst) {
      const h = plus(x, await run(attention, norm(x)));
      expected = plus(h, await run(feedForward, norm(h)));
    } else {
      const h = norm(plus(x, await run(attention, x)));
      expected = norm(plus(h, await run(feedForward, h)));
    }
    assertAllClose(await run(layer, x), expected, { rtol: 1e-12, atol: 1e-12 });
  });
});

describe("GELU, Softmax and Embedding", () => {
  it("GELU: exact and tanh closed forms", async () => {
    const x = tensor([-2, -0.5, 0, 0.7, 3], { dtype: "float64", shape: [1, 5] });
    const phi = (v: number) => {
      // erf by its Taylor series (converges fast for |v| / sqrt(2) <= 2.2).
      const z = v / Math.SQRT2;
      let term = z;
      let total = z;
      for (let n = 1; n < 80; n++) {
        term *= (-z * z) / n;
        total += term / (2 * n + 1);
      }
      return 0.5 * (1 + (2 / Math.sqrt(Math.PI)) * total);
    };
    const values = Array.from(x.data as Float64Array);
    assertAllClose(Array.from((await run(new GELU(), x)).data as Float64Array), values.map((v) => v * phi(v)), { rtol: 1e-14, atol: 1e-15 }, "exact");
    const tanhForm = values.map((v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))));
    assertAllClose(Array.from((await run(new GELU("tanh"), x)).data as Float64Array), tanhForm, { rtol: 1e-14, atol: 1e-15 }, "tanh");
  });

  it("Softmax over a dim", async () => {
    const x = f64([2, 3]);
    const y = await run(new Softmax(1), x);
    for (let r = 0; r < 2; r++) {
      const row = [0, 1, 2].map((c) => Math.exp(x.data[r * 3 + c] as number));
      const total = row.reduce((a, v) => a + v, 0);
      assertAllClose([0, 1, 2].map((c) => y.data[r * 3 + c] as number), row.map((v) => v / total), { rtol: 1e-14, atol: 1e-15 });
    }
  });

  it("Embedding: rows by id, and clear errors for out-of-range ids and float data", async () => {
    const embed = new Embedding(5, 2, { dtype: "float64" });
    const ids = tensor([[4n, 0n, 2n]], { dtype: "int64" });
    const y = await run(embed, ids);
    const w = embed.stateDict().weight.data as Float64Array;
    expect(Array.from(y.data as Float64Array)).toEqual([4, 0, 2].flatMap((i) => [w[2 * i], w[2 * i + 1]]));
    expect(() => embed.checkData(tensor([[1n, 5n]], { dtype: "int64" }), "X")).toThrow(/X: token id 5 is out of range for Embedding\(5, 2\) \(ids 0 to 4\); the largest id is 5/);
    expect(() => new Sequential(embed).checkData(tensor([[1, 2]], { dtype: "float64" }), "X")).toThrow(/X: an Embedding reads int64 or int32 ids, got float64 data/);
  });
});

describe("toOnnx -> importOnnx with token inputs", () => {
  it.each([{ activation: "relu" as const, isCausal: false }, { activation: "gelu" as const, isCausal: true }])(
    "embedding + encoder layer ($activation, causal $isCausal): same parameters and outputs",
    async ({ activation, isCausal }) => {
      const model = new Sequential(
        new Embedding(7, 4, { generator, dtype: "float64" }),
        new TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, batchFirst: true, activation, isCausal, generator, dtype: "float64" }),
        new Flatten(),
        new Linear(12, 3, { generator, dtype: "float64" }),
      );
      const spec = { dtype: "int64" as const, shape: ["batch", 3] };
      const again = importOnnx(toOnnx(model, spec), { dtype: "float64" });
      expect(again.inputSpec).toEqual(spec);
      expect(again.namedParameters().map(([n]) => n)).toEqual(model.namedParameters().map(([n]) => n));
      const x = tensor([[0n, 6n, 3n], [2n, 2n, 5n]], { dtype: "int64" });
      assertAllClose(await run(again, x), await run(model, x), { rtol: 1e-14, atol: 1e-14 });
      expect(() => again.checkData(tensor([[0n, 7n, 1n]], { dtype: "int64" }), "X")).toThrow(/has token id 7, out of range for OneHot node "OneHot_0" of depth 7 \(ids 0 to 6\)/);
    },
  );
});
