// The PyTorch reference values of a tiny Transformer classifier
// (fixtures/transformer-dev: Embedding + positions, one TransformerEncoderLayer,
// mean over tokens, Linear; cross-entropy, three batches of 4 token
// sequences, P = 687) reproduced from importOnnx on its torch.onnx.export
// file: the token ids stay int64 data while the parameters are float; on js
// in float64 (matrices 1e-10 relative, loss and gradient 1e-12) and on ORT
// CPU in float32 (1e-4) and float64.
import { readTransformerDevGolden, transformerDevFile, type TransformerDevMatrixName } from "@curv/fixtures";
import { Tensor, type FloatDType, type RuntimeName } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import {
  CrossEntropyLoss, Embedding, ForwardContext, importOnnx, Linear, loadNpz, mean, Module, TransformerEncoderLayer, add, type Value,
} from "@curv/autodiff";
import { describe, expect, it } from "vitest";
import type { DataBatch } from "./data-loop.js";
import { EFLinearOperator } from "./ef-linear-operator.js";
import { GGNLinearOperator } from "./ggn-linear-operator.js";
import { HessianLinearOperator } from "./hessian-linear-operator.js";
import { EKFACLinearOperator } from "../kfac/ekfac-linear-operator.js";
import { KFACLinearOperator } from "../kfac/kfac-linear-operator.js";

interface Row {
  source: "importOnnx" | "nn modules";
  runtime: RuntimeName;
  dtype: FloatDType;
  /** Entrywise: |a - b| <= rtol |b| + rtol max|b|, for matrices and for loss and gradient. */
  matrixRtol: number;
  vectorRtol: number;
}

const ROWS: Row[] = [
  { source: "importOnnx", runtime: "js", dtype: "float64", matrixRtol: 1e-10, vectorRtol: 1e-12 },
  // ORT CPU in float64 too: the CLI's default runtime (and the one whose graph fusions once cost 3e-8).
  { source: "importOnnx", runtime: "ort", dtype: "float64", matrixRtol: 1e-10, vectorRtol: 1e-12 },
  { source: "importOnnx", runtime: "ort", dtype: "float32", matrixRtol: 1e-4, vectorRtol: 1e-4 },
  { source: "nn modules", runtime: "js", dtype: "float64", matrixRtol: 1e-10, vectorRtol: 1e-12 },
  { source: "nn modules", runtime: "ort", dtype: "float32", matrixRtol: 1e-4, vectorRtol: 1e-4 },
];

/**
 * The fixture's PyTorch model written with curv's nn modules: token
 * embedding plus learned positions, one post-norm encoder layer, the mean
 * over tokens, a linear head; `named_parameters()` as PyTorch lists them.
 */
class TokenClassifier extends Module {
  readonly kind = "TokenClassifier";
  private readonly embed: Embedding;
  private readonly block: TransformerEncoderLayer;
  private readonly head: Linear;

  constructor(dtype: FloatDType) {
    super();
    const { V, T, d, heads, ff, C, act, norm_first } = readTransformerDevGolden().config;
    this.registerParameter("pos", new Tensor(dtype, [T, d], dtype === "float64" ? new Float64Array(T * d) : new Float32Array(T * d)));
    this.embed = new Embedding(V, d, { dtype });
    this.block = new TransformerEncoderLayer(d, heads, { dimFeedforward: ff, dropout: 0, activation: act, normFirst: norm_first, batchFirst: true, dtype });
    this.head = new Linear(d, C, { dtype });
    this.registerModule("embed", this.embed);
    this.registerModule("block", this.block);
    this.registerModule("head", this.head);
  }

  override checkData(data: Tensor, name?: string): void {
    this.embed.checkData(data, name);
  }

  forward(x: Value, ctx: ForwardContext): Value {
    const tokens = add(this.embed.forward(x, ctx.child("embed")), ctx.parameter("pos"));
    const features = mean(this.block.forward(tokens, ctx.child("block")), [1]);
    return this.head.forward(features, ctx.child("head"));
  }
}

/** The model of a row, with the fixture's weights (read from its ONNX initializers: the file holds every parameter). */
function modelOf(source: Row["source"], dtype: FloatDType): Module {
  const imported = importOnnx(transformerDevFile("transformer-dev.onnx"), { dtype });
  if (source === "importOnnx") return imported;
  const model = new TokenClassifier(dtype);
  model.loadStateDict(imported.stateDict());
  return model;
}

const OPERATORS = [
  { name: "HessianLinearOperator", make: HessianLinearOperator, matrix: "hessian" },
  { name: "GGNLinearOperator", make: GGNLinearOperator, matrix: "ggn" },
  { name: "EFLinearOperator", make: EFLinearOperator, matrix: "empirical_fisher" },
] as const;

function expectClose(actual: Tensor | number[], expected: Tensor | number[], rtol: number, what: string): void {
  const values = expected instanceof Tensor ? Array.from(expected.data as ArrayLike<number>) : expected;
  const scale = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const result = compare(actual instanceof Tensor ? actual.astype("float64") : actual, expected, { rtol, atol: rtol * scale });
  expect(result.ok, `${what}: ${result.message}`).toBe(true);
}

function fixtureBatches(): DataBatch[] {
  const { X, y } = loadNpz(transformerDevFile("transformer-dev.data.npz"));
  let start = 0;
  return readTransformerDevGolden().batch_sizes.map((size): DataBatch => {
    const batch: DataBatch = [X.slice([start, start + size]), y.slice([start, start + size])];
    start += size;
    return batch;
  });
}

describe.each(ROWS)("transformer-dev fixture: $source on $runtime in $dtype", ({ source, runtime, dtype, matrixRtol, vectorRtol }) => {
  const golden = readTransformerDevGolden();
  const reference = loadNpz(transformerDevFile("transformer-dev.golden.npz"));
  const model = modelOf(source, dtype);
  const names = model.namedParameters().map(([name]) => name);
  const batches = fixtureBatches();
  const options = { runtime, dtype };
  const loss = new CrossEntropyLoss();

  it("keeps the token input int64 and the parameters in named_parameters() order", () => {
    if (source === "importOnnx") expect((model as ReturnType<typeof importOnnx>).inputSpec).toEqual({ dtype: "int64", shape: ["batch", 5] });
    expect(batches[0][0].dtype).toBe("int64");
    expect(names).toEqual(golden.params.map((p) => p.name));
    expect(model.numParameters).toBe(golden.P);
  });

  it("gradient and loss over the data set", async () => {
    const operator = new HessianLinearOperator(model, loss, names, batches, options);
    const { gradient, loss: value } = await operator.gradientAndLoss();
    expectClose(gradient.flatMap((g) => Array.from(g.data as ArrayLike<number>)), golden.gradient.data, vectorRtol, "gradient");
    expectClose([value], [golden.loss], vectorRtol, "loss");
  });

  it.each(OPERATORS)("$name: the dense 687 x 687 matrix", async ({ make, matrix }) => {
    const operator = new make(model, loss, names, batches, options);
    expectClose(await operator.toDense(), reference[matrix as TransformerDevMatrixName], matrixRtol, matrix);
  });
});

describe("transformer-dev fixture: bad token data", () => {
  const model = importOnnx(transformerDevFile("transformer-dev.onnx"), { dtype: "float64" });
  const names = model.namedParameters().map(([name]) => name);
  const loss = new CrossEntropyLoss();
  const [[X, y]] = fixtureBatches();
  const options = { runtime: "js", dtype: "float64" } as const;
  const ids = (values: number[], shape: number[]) => new Tensor("int64", shape, BigInt64Array.from(values.map(BigInt)));

  it.each([
    { problem: "a token id past the embedding", X: ids([...Array(19).fill(1), 11], [4, 5]), message: /input "tokens" has token id 11, out of range for "embed.weight" with 11 rows \(ids 0 to 10\); the largest id is 11/ },
    { problem: "a negative token id", X: ids([...Array(19).fill(1), -1], [4, 5]), message: /input "tokens" has the negative token id -1; "embed.weight" with 11 rows takes ids 0 to 10/ },
    { problem: "float data for the integer input", X: X.astype("float64"), message: /the input "tokens" holds integer ids \(int64\), got float64 data/ },
    { problem: "sequences longer than the positions", X: ids(Array(24).fill(1), [4, 6]), message: /the input "tokens" takes sequences of 5 token ids \(the model's positions\), got 6/ },
  ])("$problem: a clear error", async ({ X: bad, message }) => {
    const operator = new GGNLinearOperator(model, loss, names, [[bad, y]], options);
    await expect(operator.toDense()).rejects.toThrow(message);
  });

  it("int32 token ids work as int64 ones", async () => {
    const asInt32 = new Tensor("int32", X.shape, Int32Array.from(X.data as BigInt64Array, Number));
    const int64 = await new GGNLinearOperator(model, loss, names, [[X, y]], options).toDense();
    const int32 = await new GGNLinearOperator(model, loss, names, [[asInt32, y]], options).toDense();
    expect(Array.from(int32.data as Float64Array)).toEqual(Array.from(int64.data as Float64Array));
  });
});

describe("transformer-dev fixture: KFAC on the Linear layers", () => {
  // torch.onnx.export writes the head as Gemm and the feed-forward layers as MatMul(x, Transpose(W)) + b;
  // importOnnx recognizes both as Linear layers, so KFAC and EKFAC on the imported file equal those on curv's modules.
  // out_proj is a Gemm on the [5 * batch, 8] reshape (rows are not examples): importOnnx leaves it generic.
  const params = ["block.linear1", "block.linear2", "head"].flatMap((layer) => [`${layer}.weight`, `${layer}.bias`]);
  const loss = new CrossEntropyLoss();
  const options = { runtime: "js", dtype: "float64", fisherType: "type-2" } as const;

  it.each([
    { name: "KFAC", make: KFACLinearOperator },
    { name: "EKFAC", make: EKFACLinearOperator },
  ])("$name: importOnnx equals the nn modules to 1e-10", async ({ make }) => {
    const [imported, modules] = await Promise.all(
      (["importOnnx", "nn modules"] as const).map((source) => new make(modelOf(source, "float64"), loss, params, fixtureBatches(), options).toDense()),
    );
    expectClose(imported, modules, 1e-10, "KFAC");
  });

  it("refuses out_proj of the imported model by name (its rows are tokens of all examples)", () => {
    const model = modelOf("importOnnx", "float64");
    expect(() => new KFACLinearOperator(model, loss, [...params, "block.self_attn.out_proj.weight"], fixtureBatches(), options)).toThrow(
      /"block.self_attn.out_proj.weight" of OnnxParameters "block.self_attn.out_proj"/,
    );
  });
});
