/**
 * The transformations end to end on a tiny MLP with a symbolic batch axis:
 * gradient and Hessian-vector product against finite differences, the GGN
 * product against a dense J^T H_L J built from finite-difference columns.
 */
import { Generator, Tensor, tensor, type FloatDType } from "@curv/tensor";
import { assertAllClose, finiteDifferenceJvp } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { compileFunction } from "../compile-function.js";
import { crossEntropyWithLogits, mean, relu, softmax, tanh } from "../composites/index.js";
import type { Value } from "../core/value.js";
import { add, conv2d, matmul, maxPool2d, mul, reshape, sub } from "../primitives/index.js";
import { ggnVectorProduct, lossHessianVectorProduct } from "./ggn.js";
import { hvp } from "./hvp.js";
import { jvp } from "./jvp.js";
import { grad, valueAndGrad } from "./vjp.js";

const IN = 3;
const HIDDEN = 4;
const OUT = 2;
const shapes = { w1: [IN, HIDDEN], b1: [HIDDEN], w2: [HIDDEN, OUT] };
const names = ["w1", "b1", "w2"] as const;

/** A 3-4-2 tanh MLP. */
function model([w1, b1, w2]: Value[], x: Value): Value {
  return matmul(tanh(add(matmul(x, w1), b1)), w2);
}

function mse(output: Value, target: Value): Value {
  const residual = sub(output, target);
  return mean(mul(residual, residual));
}

function specs(dtype: FloatDType) {
  return {
    x: { dtype, shape: ["batch", IN] }, y: { dtype, shape: ["batch", OUT] },
    ...Object.fromEntries(names.map((n) => [n, { dtype, shape: shapes[n] }])),
    ...Object.fromEntries(names.map((n) => [`v_${n}`, { dtype, shape: shapes[n] }])),
  };
}

function draw(batch: number, dtype: FloatDType = "float64"): Record<string, Tensor> {
  const g = new Generator(21);
  return {
    x: g.normal([batch, IN], { dtype }), y: g.normal([batch, OUT], { dtype }),
    ...Object.fromEntries(names.map((n) => [n, g.normal(shapes[n], { dtype, std: 0.7 })])),
    ...Object.fromEntries(names.map((n) => [`v_${n}`, g.normal(shapes[n], { dtype })])),
  };
}

const params = (inputs: Record<string, Value>) => names.map((n) => inputs[n]);
const vectors = (inputs: Record<string, Value>) => names.map((n) => inputs[`v_${n}`]);
const flat = (ts: readonly Tensor[]) => new Tensor("float64", [ts.reduce((s, t) => s + t.size, 0)], Float64Array.from(ts.flatMap((t) => t.toArray())));

function programs(inputs: Record<string, Value>) {
  const loss = (p: Value[]) => mse(model(p, inputs.x), inputs.y);
  const [value, grads] = valueAndGrad(loss)(params(inputs));
  const hv = hvp(loss, params(inputs), vectors(inputs));
  const gv = ggnVectorProduct((p) => model(p, inputs.x), (o) => mse(o, inputs.y), params(inputs), vectors(inputs));
  const [[output], [jv]] = jvp(([...p]) => [model(p, inputs.x)], params(inputs), vectors(inputs));
  return {
    value, output, jv,
    ...Object.fromEntries(names.flatMap((n, i) => [[`grad_${n}`, grads[i]], [`hvp_${n}`, hv[i]], [`ggn_${n}`, gv[i]]])),
  };
}

describe("a tiny MLP with a symbolic batch", () => {
  it.each([2, 5])("js float64, batch %i: gradient, HVP and GGN-vector product against finite differences", async (batch) => {
    const f = await compileFunction(programs, specs("float64"), { runtime: "js" });
    const feeds = draw(batch);
    const out = await f.run(feeds);
    const moved = (fetch: (o: Record<string, Tensor>) => Tensor) => (ps: readonly Tensor[]) =>
      f.run({ ...feeds, ...Object.fromEntries(names.map((n, i) => [n, ps[i]])) }).then(fetch);
    const at = names.map((n) => feeds[n]);

    // <grad, v> is the directional derivative of the loss.
    const fdLoss = await finiteDifferenceJvp(moved((o) => o.value), at, names.map((n) => feeds[`v_${n}`]));
    const gradDotV = names.reduce((s, n) => s + out[`grad_${n}`].toArray().reduce((t, g, i) => t + g * feeds[`v_${n}`].toArray()[i], 0), 0);
    expect(Math.abs(gradDotV - fdLoss.item())).toBeLessThan(1e-9 * Math.max(1, Math.abs(gradDotV)));

    // Each gradient entry against a finite difference along its basis vector.
    for (const [k, n] of names.entries()) {
      for (let i = 0; i < feeds[n].size; i++) {
        const basis = names.map((m, j) => (j === k ? new Tensor("float64", shapes[m]) : undefined));
        basis[k]!.data[i] = 1;
        const d = await finiteDifferenceJvp(moved((o) => o.value), at, basis);
        expect(Math.abs(out[`grad_${n}`].data[i] as number - d.item())).toBeLessThan(1e-9);
      }
    }

    // H v against finite differences of the gradient.
    const fdHvp = await finiteDifferenceJvp(moved((o) => flat(names.map((n) => o[`grad_${n}`]))), at, names.map((n) => feeds[`v_${n}`]));
    assertAllClose(flat(names.map((n) => out[`hvp_${n}`])), fdHvp, { rtol: 1e-6, atol: 1e-9 }, "HVP");

    // G v = J^T H_L J v with J from finite-difference columns and H_L = 2 / (N * OUT) I for the mean squared error.
    const columns: Float64Array[] = [];
    for (const [k, n] of names.entries()) {
      for (let i = 0; i < feeds[n].size; i++) {
        const basis = names.map((m, j) => (j === k ? new Tensor("float64", shapes[m]) : undefined));
        basis[k]!.data[i] = 1;
        columns.push((await finiteDifferenceJvp(moved((o) => o.output), at, basis)).data);
      }
    }
    const v = flat(names.map((n) => feeds[`v_${n}`])).data;
    const jv = columns[0].map((_, r) => columns.reduce((s, col, c) => s + col[r] * v[c], 0));
    assertAllClose(out.jv.toArray(), Array.from(jv), { rtol: 1e-7, atol: 1e-10 }, "J v");
    const hjv = jv.map((e) => (2 / (batch * OUT)) * e);
    const gv = columns.map((col) => col.reduce((s, e, r) => s + e * hjv[r], 0));
    assertAllClose(flat(names.map((n) => out[`ggn_${n}`])), gv, { rtol: 1e-7, atol: 1e-10 }, "G v");
    await f.dispose();
  });

  it("ort float64 agrees with js float64 to 1e-10", async () => {
    const [ort, js] = await Promise.all([
      compileFunction(programs, specs("float64"), { runtime: "ort" }),
      compileFunction(programs, specs("float64"), { runtime: "js" }),
    ]);
    const feeds = draw(6);
    const [got, want] = await Promise.all([ort.run(feeds), js.run(feeds)]);
    for (const name of Object.keys(want)) assertAllClose(got[name], want[name], { rtol: 1e-10, atol: 1e-12 }, name);
    await Promise.all([ort.dispose(), js.dispose()]);
  });

  it("ort float32 agrees with js float64 on the same inputs", async () => {
    const [ort, js] = await Promise.all([
      compileFunction(programs, specs("float32"), { runtime: "ort" }),
      compileFunction(programs, specs("float64"), { runtime: "js" }),
    ]);
    const feeds = draw(7, "float32");
    const [got, want] = await Promise.all([ort.run(feeds), js.run(Object.fromEntries(Object.entries(feeds).map(([n, t]) => [n, t.astype("float64")])))]);
    for (const name of Object.keys(want)) assertAllClose(got[name], want[name], { rtol: 1e-4, atol: 1e-5 }, name);
    await Promise.all([ort.dispose(), js.dispose()]);
  });
});

describe("lossHessianVectorProduct", () => {
  it("of cross-entropy is (diag(p) - p p^T) u / N per example", async () => {
    const logits = tensor([[0.5, -1, 2], [0, 0.3, -0.2]], { dtype: "float64" });
    const u = tensor([[1, 2, -1], [0.5, 0, 3]], { dtype: "float64" });
    const f = await compileFunction(
      ({ z, k, u: direction }) => ({ hu: lossHessianVectorProduct((o) => crossEntropyWithLogits(o, k), z, direction), p: softmax(z, 1) }),
      { z: { dtype: "float64", shape: ["batch", 3] }, k: { dtype: "int64", shape: ["batch"] }, u: { dtype: "float64", shape: ["batch", 3] } },
      { runtime: "js" },
    );
    const { hu, p } = await f.run({ z: logits, k: tensor([2n, 0n]), u });
    const expected = [0, 1].flatMap((n) => {
      const pn = [0, 1, 2].map((c) => p.get(n, c));
      const un = [0, 1, 2].map((c) => u.get(n, c));
      const pu = pn.reduce((s, pc, c) => s + pc * un[c], 0);
      return pn.map((pc, c) => (pc * un[c] - pc * pu) / 2);
    });
    assertAllClose(hu.toArray(), expected, { rtol: 1e-12, atol: 1e-15 }, "H_L u");
    await f.dispose();
  });
});

describe("a tiny CNN (conv, relu, max pool, linear, cross-entropy)", () => {
  const cnnShapes = { w: [3, 2, 3, 3], b: [3], v: [27, 4] };
  const cnnNames = ["w", "b", "v"] as const;
  function cnnLoss([w, b, v]: Value[], x: Value, k: Value): Value {
    const features = relu(add(conv2d(x, w, { padding: 1 }), reshape(b, [3, 1, 1])));
    const pooled = maxPool2d(features, { kernelSize: 2 });
    return crossEntropyWithLogits(matmul(reshape(pooled, [x.shape[0], 27]), v), k);
  }
  const cnnSpecs = {
    x: { dtype: "float64" as const, shape: ["batch", 2, 6, 6] }, k: { dtype: "int64" as const, shape: ["batch"] },
    ...Object.fromEntries(cnnNames.flatMap((n) => [[n, { dtype: "float64" as const, shape: cnnShapes[n] }], [`d_${n}`, { dtype: "float64" as const, shape: cnnShapes[n] }]])),
  };
  const cnnPrograms = (inputs: Record<string, Value>) => {
    const p = cnnNames.map((n) => inputs[n]);
    const loss = (q: Value[]) => cnnLoss(q, inputs.x, inputs.k);
    const grads = grad(loss)(p);
    const hv = hvp(loss, p, cnnNames.map((n) => inputs[`d_${n}`]));
    return Object.fromEntries(cnnNames.flatMap((n, i) => [[`grad_${n}`, grads[i]], [`hvp_${n}`, hv[i]]]));
  };

  it("HVP matches finite differences of the gradient on js float64, and ort float64 agrees", async () => {
    const g = new Generator(8);
    const feeds: Record<string, Tensor> = { x: g.normal([3, 2, 6, 6], { dtype: "float64" }), k: g.integers(0, 4, [3], "int64") };
    for (const n of cnnNames) {
      feeds[n] = g.normal(cnnShapes[n], { dtype: "float64", std: 0.5 });
      feeds[`d_${n}`] = g.normal(cnnShapes[n], { dtype: "float64" });
    }
    const [js, ort] = await Promise.all([compileFunction(cnnPrograms, cnnSpecs, { runtime: "js" }), compileFunction(cnnPrograms, cnnSpecs, { runtime: "ort" })]);
    const out = await js.run(feeds);
    const at = cnnNames.map((n) => feeds[n]);
    const fd = await finiteDifferenceJvp(
      (ps) => js.run({ ...feeds, ...Object.fromEntries(cnnNames.map((n, i) => [n, ps[i]])) }).then((o) => flat(cnnNames.map((n) => o[`grad_${n}`]))),
      at,
      cnnNames.map((n) => feeds[`d_${n}`]),
      // A small step, so no ReLU or max-pool window switches branch inside the stencil.
      { step: 1e-5 },
    );
    assertAllClose(flat(cnnNames.map((n) => out[`hvp_${n}`])), fd, { rtol: 1e-6, atol: 1e-9 }, "CNN HVP");
    const onOrt = await ort.run(feeds);
    for (const name of Object.keys(out)) assertAllClose(onOrt[name], out[name], { rtol: 1e-10, atol: 1e-12 }, `${name} on ort float64`);
    await Promise.all([js.dispose(), ort.dispose()]);
  });
});
