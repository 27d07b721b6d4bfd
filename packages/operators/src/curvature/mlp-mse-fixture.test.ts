// The PyTorch reference values of the curvlinops sub-matrices model
// (fixtures/mlp-mse: MLP 7-5-5-3, MSE mean, two batches of 4, P = 88)
// reproduced by every operator, from nn modules loaded with the fixture's
// weights and from importOnnx on its torch.onnx.export file, on js in
// float64 (1e-10 relative) and on ORT CPU in float32 (1e-4).
import { matmul, Tensor, type FloatDType, type RuntimeName } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { MSELoss } from "@curv/autodiff";
import { describe, expect, it } from "vitest";
import type { CurvatureLinearOperator } from "./curvature-linear-operator.js";
import { EFLinearOperator } from "./ef-linear-operator.js";
import { GGNDiagonalLinearOperator } from "./ggn-diagonal-linear-operator.js";
import { GGNLinearOperator } from "./ggn-linear-operator.js";
import { HessianLinearOperator } from "./hessian-linear-operator.js";
import { JacobianLinearOperator } from "./jacobian-linear-operator.js";
import { loadMlpMseFixture, type MlpMseFixture, type ModelSource } from "./testing/mlp-mse-fixture.js";

interface Row {
  source: ModelSource;
  runtime: RuntimeName;
  dtype: FloatDType;
  /** Entrywise: |a - b| <= rtol |b| + rtol max|b| (the second term keeps near-zero entries from dominating). */
  rtol: number;
}

const ROWS: Row[] = [
  { source: "nn modules", runtime: "js", dtype: "float64", rtol: 1e-10 },
  { source: "importOnnx", runtime: "js", dtype: "float64", rtol: 1e-10 },
  { source: "nn modules", runtime: "ort", dtype: "float32", rtol: 1e-4 },
  { source: "importOnnx", runtime: "ort", dtype: "float32", rtol: 1e-4 },
];

/** Which fixture matrix each operator reproduces; the exact Fisher equals the GGN for MSE. */
const OPERATORS = [
  { name: "HessianLinearOperator", make: HessianLinearOperator, matrices: ["hessian"], product: "hvp" },
  { name: "GGNLinearOperator", make: GGNLinearOperator, matrices: ["ggn", "fisher_exact"], product: "ggnvp" },
  { name: "EFLinearOperator", make: EFLinearOperator, matrices: ["empirical_fisher"], product: undefined },
] as const;

function expectClose(actual: Tensor | number[], expected: Tensor | number[], rtol: number, what: string): void {
  const values = expected instanceof Tensor ? Array.from(expected.data as ArrayLike<number>) : expected;
  const scale = Math.max(...values.map(Math.abs));
  const result = compare(actual instanceof Tensor ? actual.astype("float64") : actual, expected, { rtol, atol: rtol * scale });
  expect(result.ok, `${what}: ${result.message}`).toBe(true);
}

/** Rows and columns `indices` of the fixture's P x P matrix. */
function block(matrix: Tensor<"float64">, indices: number[]): Tensor<"float64"> {
  const p = matrix.shape[0];
  return new Tensor("float64", [indices.length, indices.length], Float64Array.from(indices.flatMap((i) => indices.map((j) => matrix.data[i * p + j]))));
}

/** The theta indices of the named parameters, in the order given. */
function thetaIndices(fixture: MlpMseFixture, names: string[]): number[] {
  const offsets = new Map<string, [number, number]>();
  let offset = 0;
  for (const [name, p] of fixture.model.namedParameters()) {
    offsets.set(name, [offset, p.size]);
    offset += p.size;
  }
  return names.flatMap((name) => {
    const [start, size] = offsets.get(name)!;
    return Array.from({ length: size }, (_, i) => start + i);
  });
}

describe.each(ROWS)("mlp-mse fixture: $source on $runtime in $dtype", ({ source, runtime, dtype, rtol }) => {
  const fixture = loadMlpMseFixture(source, dtype);
  const options = { runtime, dtype };
  const loss = new MSELoss();

  it.each(OPERATORS)("$name: dense matrix and matrix @ v", async ({ make, matrices, product }) => {
    const operator: CurvatureLinearOperator = new make(fixture.model, loss, fixture.names, fixture.batches, options);
    const dense = await operator.toDense();
    for (const name of matrices) expectClose(dense, fixture.matrices[name], rtol, name);
    expectClose(await operator.matvec(fixture.v), fixture.matvec[matrices[0]], rtol, `${matrices[0]} @ v`);
    if (product !== undefined) expectClose(await operator.matvec(fixture.v), fixture[product], rtol, product);
  });

  it("gradient and loss over the data set", async () => {
    const operator = new HessianLinearOperator(fixture.model, loss, fixture.names, fixture.batches, options);
    const { gradient, loss: value } = await operator.gradientAndLoss();
    expectClose(gradient.flatMap((g) => Array.from(g.data as ArrayLike<number>)), fixture.gradient, rtol, "gradient");
    expectClose([value], [fixture.loss], rtol, "loss");
  });

  it("MC Fisher with 2000 samples: ggn within curvlinops' MC tolerances (normalized by max |entry|: rtol 0.1, atol 0.015)", async () => {
    const operator = new GGNLinearOperator(fixture.model, loss, fixture.names, fixture.batches, { ...options, mcSamples: 2000 });
    const scale = Math.max(...Array.from(fixture.matrices.ggn.data, Math.abs));
    const normalize = (t: Tensor) => Array.from(t.data as ArrayLike<number>, (x) => x / scale);
    const result = compare(normalize(await operator.toDense()), normalize(fixture.matrices.ggn), { rtol: 0.1, atol: 0.015 });
    expect(result.ok, result.message).toBe(true);
  });

  it("GGN diagonal: the diagonal of ggn", async () => {
    const operator = await GGNDiagonalLinearOperator.compute(fixture.model, loss, fixture.names, fixture.batches, options);
    const p = fixture.matrices.ggn.shape[0];
    expectClose(operator.values, Array.from({ length: p }, (_, i) => fixture.matrices.ggn.data[i * p + i]), rtol, "diag(GGN)");
  });

  it("Jacobian: (2 / (N C)) Jᵀ J is the GGN of MSE", async () => {
    const operator = new JacobianLinearOperator(fixture.model, fixture.names, fixture.batches, options);
    expect(operator.outputShapes).toEqual([[8, 3]]);
    const j = (await operator.toDense()).astype("float64");
    const gram = matmul(j.transpose(), j);
    for (let i = 0; i < gram.size; i++) gram.data[i] *= 2 / 24;
    expectClose(gram, fixture.matrices.ggn, rtol, "2/(NC) JᵀJ");
  });

  it.each([
    { params: ["2.weight", "2.bias"] },
    { params: ["4.bias", "0.weight"] },
  ])("params $params: the blocks of hessian and ggn, in the order given", async ({ params }) => {
    const indices = thetaIndices(fixture, params);
    const hessian = new HessianLinearOperator(fixture.model, loss, params, fixture.batches, options);
    const ggn = new GGNLinearOperator(fixture.model, loss, params, fixture.batches, options);
    expect(hessian.inputShapes).toEqual(params.map((name) => fixture.model.namedParameters().find(([n]) => n === name)![1].shape));
    expectClose(await hessian.toDense(), block(fixture.matrices.hessian, indices), rtol, "Hessian block");
    expectClose(await ggn.toDense(), block(fixture.matrices.ggn, indices), rtol, "GGN block");
  });
});
