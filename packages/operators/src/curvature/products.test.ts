// matmat is one batched product per data batch (the K columns mapped with
// vmap); it must equal K column-by-column matvecs, in tensor and in list
// format, for every curvature operator (the MC Fisher included: every column
// sees the same draws).
import { Generator, Tensor } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { MSELoss } from "@curv/autodiff";
import { describe, expect, it } from "vitest";
import type { LinearOperator } from "../linear-operator.js";
import { EFLinearOperator } from "./ef-linear-operator.js";
import { GGNDiagonalLinearOperator } from "./ggn-diagonal-linear-operator.js";
import { GGNLinearOperator } from "./ggn-linear-operator.js";
import { HessianLinearOperator } from "./hessian-linear-operator.js";
import { JacobianLinearOperator } from "./jacobian-linear-operator.js";
import { TransposedJacobianLinearOperator } from "./transposed-jacobian-linear-operator.js";
import { loadMlpMseFixture } from "./testing/mlp-mse-fixture.js";

const fixture = loadMlpMseFixture("nn modules", "float64");
const params = ["0.weight", "0.bias", "4.weight"];
const options = { runtime: "js" } as const;
const loss = new MSELoss();

const OPERATORS: [string, () => Promise<LinearOperator<"float64">>][] = [
  ["HessianLinearOperator", async () => new HessianLinearOperator(fixture.model, loss, params, fixture.batches, options)],
  ["GGNLinearOperator", async () => new GGNLinearOperator(fixture.model, loss, params, fixture.batches, options)],
  ["GGNLinearOperator (MC, 5 samples)", async () => new GGNLinearOperator(fixture.model, loss, params, fixture.batches, { ...options, mcSamples: 5, seed: 1 })],
  ["EFLinearOperator", async () => new EFLinearOperator(fixture.model, loss, params, fixture.batches, options)],
  ["GGNDiagonalLinearOperator", () => GGNDiagonalLinearOperator.compute(fixture.model, loss, params, fixture.batches, options)],
  ["JacobianLinearOperator", async () => new JacobianLinearOperator(fixture.model, params, fixture.batches, options)],
  ["TransposedJacobianLinearOperator", async () => new TransposedJacobianLinearOperator(fixture.model, params, fixture.batches, options)],
] as [string, () => Promise<LinearOperator<"float64">>][];

function column(m: Tensor<"float64">, j: number): Tensor<"float64"> {
  const [rows, k] = m.shape;
  return new Tensor("float64", [rows], Float64Array.from({ length: rows }, (_, i) => m.data[i * k + j]));
}

function expectClose(actual: Tensor, expected: Tensor, what: string): void {
  const result = compare(actual, expected, { rtol: 1e-12, atol: 1e-14 });
  expect(result.ok, `${what}: ${result.message}`).toBe(true);
}

describe.each(OPERATORS)("%s", (_name, make) => {
  it("matmat of K = 3 columns equals three matvecs", async () => {
    const operator = await make();
    const m = new Generator(5).normal([operator.shape[1], 3], { dtype: "float64" });
    const product = await operator.matmat(m);
    expect(product.shape).toEqual([operator.shape[0], 3]);
    for (let j = 0; j < 3; j++) {
      const single = await operator.matvec(column(m, j));
      expectClose(column(product, j), single, `column ${j}`);
    }
  });

  it("list format in, list format out, the same numbers", async () => {
    const operator = await make();
    const m = new Generator(6).normal([operator.shape[1], 2], { dtype: "float64" });
    const blocks: Tensor<"float64">[] = [];
    let row = 0;
    for (const shape of operator.inputShapes) {
      const size = shape.reduce((a, b) => a * b, 1);
      blocks.push(m.slice([row, row + size]).reshape([...shape, 2]));
      row += size;
    }
    const listed = await operator.matmat(blocks);
    expect(listed.map((b) => b.shape)).toEqual(operator.outputShapes.map((s) => [...s, 2]));
    const flat = await operator.matmat(m);
    expectClose(new Tensor("float64", flat.shape, Float64Array.from(listed.flatMap((b) => Array.from(b.data)))), flat, "list vs tensor");
  });
});

it("the Jacobian's adjoint is the transposed Jacobian and back", async () => {
  const jacobian = new JacobianLinearOperator(fixture.model, params, fixture.batches, options);
  const transposed = jacobian.adjoint();
  expect(transposed).toBeInstanceOf(TransposedJacobianLinearOperator);
  expect(transposed.adjoint()).toBeInstanceOf(JacobianLinearOperator);
  expect(transposed.shape).toEqual([jacobian.shape[1], jacobian.shape[0]]);
  // <J v, w> = <v, Jᵀ w>
  const generator = new Generator(7);
  const v = generator.normal([jacobian.shape[1]], { dtype: "float64" });
  const w = generator.normal([jacobian.shape[0]], { dtype: "float64" });
  const dot = (a: Tensor, b: Tensor) => Array.from(a.data as Float64Array).reduce((s, x, i) => s + x * (b.data[i] as number), 0);
  const left = dot(await jacobian.matvec(v), w);
  const right = dot(v, await transposed.matvec(w));
  expect(Math.abs(left - right)).toBeLessThan(1e-12 * Math.abs(left));
});

it("curvature operators are self-adjoint: adjoint() is the operator", () => {
  const hessian = new HessianLinearOperator(fixture.model, loss, params, fixture.batches, options);
  expect(hessian.adjoint()).toBe(hessian);
  expect(hessian.isSelfAdjoint).toBe(true);
});

it("dispose releases the compiled programs; a later product compiles again and agrees", async () => {
  const ggn = new GGNLinearOperator(fixture.model, loss, params, fixture.batches, options);
  const v = new Generator(8).normal([ggn.shape[1]], { dtype: "float64" });
  const before = await ggn.matvec(v);
  await ggn.dispose();
  expect((await ggn.matvec(v)).toArray()).toEqual(before.toArray());
  await ggn.dispose();
});

it("products follow the model's current parameters (they are feeds, not constants)", async () => {
  const local = loadMlpMseFixture("nn modules", "float64");
  const hessian = new HessianLinearOperator(local.model, loss, local.names, local.batches, options);
  const before = await hessian.matvec(local.v);
  const state = local.model.stateDict();
  const scaled = Object.fromEntries(Object.entries(state).map(([name, t]) => [name, new Tensor("float64", t.shape, Float64Array.from(t.data as Float64Array, (x) => 1.1 * x))]));
  local.model.loadStateDict(scaled);
  const after = await hessian.matvec(local.v);
  const fresh = await new HessianLinearOperator(local.model, loss, local.names, local.batches, options).matvec(local.v);
  expect(after.toArray()).not.toEqual(before.toArray());
  expect(after.toArray()).toEqual(fresh.toArray());
});
