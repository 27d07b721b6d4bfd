// A small causal language model (Embedding, a causal TransformerEncoderLayer,
// a Linear head to the vocabulary) with next-token cross-entropy over
// [N, T, V] logits. PyTorch's CrossEntropyLoss takes the class axis second,
// so the model ends with the usual `logits.transpose(1, 2)`; the loss then
// has N * T terms under "mean" (curvlinops' num_per_example_loss_terms = T).
// The GGN, Hessian-free, is checked against a dense reference assembled on
// the host from the per-token Jacobians (rows of the Jacobian operator) and
// the softmax Hessian of each token, G = 1/(N T) sum_{n,t} J_nt^T (diag p - p p^T) J_nt,
// to 1e-10 in float64; the EF against 1/(N T) sum g_nt g_nt^T of per-token gradients.
import { compileModel, CrossEntropyLoss, Embedding, Linear, Module, Sequential, TransformerEncoderLayer, transpose, type Value } from "@curv/autodiff";
import { Generator, Tensor } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import type { DataBatch } from "./data-loop.js";
import { EFLinearOperator } from "./ef-linear-operator.js";
import { GGNLinearOperator } from "./ggn-linear-operator.js";
import { JacobianLinearOperator } from "./jacobian-linear-operator.js";

/** `[N, T, V]` -> `[N, V, T]`: the class axis second, as `CrossEntropyLoss` (and PyTorch's) wants it. */
class ClassAxisSecond extends Module {
  readonly kind = "ClassAxisSecond";
  forward(x: Value): Value {
    return transpose(x, [0, 2, 1]);
  }
}

const V = 5;
const T = 4;
const d = 4;
const generator = new Generator(3);
const model = new Sequential(
  new Embedding(V, d, { generator, dtype: "float64" }),
  new TransformerEncoderLayer(d, 2, { dimFeedforward: 6, dropout: 0, batchFirst: true, isCausal: true, activation: "gelu", generator, dtype: "float64" }),
  new Linear(d, V, { generator, dtype: "float64" }),
  new ClassAxisSecond(),
);
const names = model.namedParameters().map(([name]) => name);
const P = model.numParameters;
const sequences = generator.integers(0, V, [5, T + 1], "int64");
// Inputs are tokens 0..T-1, targets tokens 1..T (next-token prediction); batches of 3 and 2.
const X = sequences.slice([0, 5], [0, T]);
const y = sequences.slice([0, 5], [1, T + 1]);
const batches: DataBatch[] = [[X.slice([0, 3]), y.slice([0, 3])], [X.slice([3, 5]), y.slice([3, 5])]];
const options = { runtime: "js", dtype: "float64" } as const;

/** Row r of the dense Jacobian: d output[n, v, t] / d theta for r = ((n V) + v) T + t, over all N examples. */
async function jacobianRows(): Promise<{ J: Float64Array; logits: Float64Array }> {
  const J = (await new JacobianLinearOperator(model, names, batches, options).toDense()).data as Float64Array;
  const compiled = await compileModel(model, { dtype: "int64", shape: ["batch", T] }, { runtime: "js" });
  const logits = (await compiled.run(X)).data as Float64Array;
  await compiled.dispose();
  return { J, logits };
}

function expectClose(actual: Tensor, expected: Float64Array, rtol: number, what: string): void {
  const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const result = compare(actual, new Tensor("float64", [P, P], expected), { rtol, atol: rtol * scale });
  expect(result.ok, `${what}: ${result.message}`).toBe(true);
}

describe("causal LM with next-token cross-entropy over [N, T, V] logits", () => {
  it("GGN and EF equal the per-token dense references to 1e-10", async () => {
    const { J, logits } = await jacobianRows();
    const N = 5;
    const ggn = new Float64Array(P * P);
    const ef = new Float64Array(P * P);
    const row = (n: number, v: number, t: number) => J.subarray(((n * V + v) * T + t) * P, ((n * V + v) * T + t + 1) * P);
    for (let n = 0; n < N; n++) {
      for (let t = 0; t < T; t++) {
        const scores = Array.from({ length: V }, (_, v) => logits[(n * V + v) * T + t]);
        const top = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - top));
        const total = e.reduce((a, b) => a + b, 0);
        const p = e.map((v) => v / total);
        const target = Number((y.data as BigInt64Array)[n * T + t]);
        // Per-token gradient of -log p_target: sum_v (p_v - [v = target]) J_v.
        const g = new Float64Array(P);
        for (let v = 0; v < V; v++) {
          const coefficient = p[v] - (v === target ? 1 : 0);
          const Jv = row(n, v, t);
          for (let i = 0; i < P; i++) g[i] += coefficient * Jv[i];
        }
        // J^T (diag p - p p^T) J = sum_v p_v J_v J_v^T - (sum_v p_v J_v)(sum_v p_v J_v)^T.
        const mean = new Float64Array(P);
        for (let v = 0; v < V; v++) {
          const Jv = row(n, v, t);
          for (let i = 0; i < P; i++) mean[i] += p[v] * Jv[i];
          for (let i = 0; i < P; i++) {
            const a = p[v] * Jv[i] / (N * T);
            if (a !== 0) for (let j = 0; j < P; j++) ggn[i * P + j] += a * Jv[j];
          }
        }
        for (let i = 0; i < P; i++) {
          for (let j = 0; j < P; j++) {
            ggn[i * P + j] -= (mean[i] * mean[j]) / (N * T);
            ef[i * P + j] += (g[i] * g[j]) / (N * T);
          }
        }
      }
    }
    const loss = new CrossEntropyLoss();
    expectClose(await new GGNLinearOperator(model, loss, names, batches, options).toDense(), ggn, 1e-10, "GGN");
    expectClose(await new EFLinearOperator(model, loss, names, batches, options).toDense(), ef, 1e-10, "EF");
  });
});
