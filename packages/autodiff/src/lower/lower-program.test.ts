import { GraphError, tensor, type Tensor } from "@curv/tensor";
import { assertAllClose } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { compileFunction, compileProgram } from "../compile-function.js";
import { mean } from "../composites/mean.js";
import { literal } from "../core/leaves.js";
import { bind, definePrimitive } from "../core/primitive.js";
import { trace } from "../core/program.js";
import type { Value } from "../core/value.js";
import { add, broadcastTo, exp, matmul, mul, reduceSum, reshape, zerosLike } from "../primitives/index.js";
import { grad } from "../transforms/vjp.js";
import { lowerProgram } from "./lower-program.js";

const f64 = (values: number[][]) => tensor(values, { dtype: "float64" });

describe("lowerProgram", () => {
  it("keeps parameters and data as graph inputs, in order, with the symbolic batch axis", () => {
    const program = trace(({ x, w }) => ({ y: exp(matmul(x, w)) }), {
      x: { dtype: "float32", shape: ["batch", 3] },
      w: { dtype: "float32", shape: [3, 2] },
    });
    const graph = lowerProgram(program);
    expect(graph.inputs).toEqual([
      { name: "x", dtype: "float32", shape: ["batch", 3] },
      { name: "w", dtype: "float32", shape: [3, 2] },
    ]);
    expect(graph.outputs).toEqual([{ name: "y", dtype: "float32", shape: ["batch", 2] }]);
    expect(graph.nodes.map((n) => n.op)).toEqual(["MatMul", "Exp"]);
    expect(graph.constants.size).toBe(0);
  });

  it("turns literals into constants", () => {
    const graph = lowerProgram(trace(({ x }) => mul(x, 3), { x: { dtype: "float64", shape: [2] } }));
    expect([...graph.constants.values()].map((t) => t.toArray())).toEqual([[3]]);
  });

  it("names the primitive and the transformation when a lowering is missing", () => {
    const customP = definePrimitive<Record<string, never>>("custom", ([x]) => x);
    const program = trace(({ x }) => bind(customP, [x], {}), { x: { dtype: "float64", shape: [2] } });
    expect(() => lowerProgram(program)).toThrow(GraphError);
    expect(() => lowerProgram(program)).toThrow('no ONNX lowering rule for primitive "custom"');
  });

  it("rejects outputs that depend on values that are not program inputs", () => {
    const stray = trace(({ x }) => x, { x: { dtype: "float64", shape: [2] } }).inputs[0];
    expect(() => trace(({ y }) => add(y, stray), { y: { dtype: "float64", shape: [2] } })).toThrow(
      /depend on "x" \(float64 \[2\]\), which is not one of its inputs/,
    );
    expect(() => trace(() => ({}), {})).toThrow(/at least one output/);
  });
});

describe("compiled programs on js and ort", () => {
  // Reshapes, broadcasts and means over the symbolic batch axis need run-time shapes.
  const fn = ({ x, b }: Record<string, Value>) => {
    const rows = reshape(x, ["batch", 6]);
    const back = reshape(rows, ["batch", 2, 3]);
    const bias = broadcastTo(b, ["batch", 2, 3]);
    return { y: add(back, bias), m: mean(rows, [0]), s: reduceSum(mul(rows, literal(2, "float64"))) };
  };
  const specs = { x: { dtype: "float64" as const, shape: ["batch", 2, 3] }, b: { dtype: "float64" as const, shape: [3] } };

  function expected(x: Tensor, b: Tensor) {
    const n = x.shape[0];
    const xs = x.toArray();
    const bs = b.toArray();
    const y = xs.map((v, i) => v + bs[i % 3]);
    const m = Array.from({ length: 6 }, (_, j) => xs.filter((_, i) => i % 6 === j).reduce((s, v) => s + v, 0) / n);
    return { y, m, s: 2 * xs.reduce((s, v) => s + v, 0) };
  }

  it.each(["js", "ort"] as const)("%s: one compiled program serves every batch size", async (runtime) => {
    const f = await compileFunction(fn, specs, { runtime });
    for (const n of [1, 4]) {
      const x = tensor(Array.from({ length: n * 6 }, (_, i) => i * 0.5 - 3), { dtype: "float64", shape: [n, 2, 3] });
      const b = tensor([1, -2, 0.25], { dtype: "float64" });
      const out = await f.run({ x, b });
      const want = expected(x, b);
      expect(out.y.shape).toEqual([n, 2, 3]);
      assertAllClose(out.y.toArray(), want.y, { rtol: 1e-12 }, "y");
      assertAllClose(out.m, want.m, { rtol: 1e-12 }, "m");
      expect(out.s.item()).toBeCloseTo(want.s, 10);
    }
    await f.dispose();
  });

  it.each(["js", "ort"] as const)("%s: outputs may be inputs, constants or zero gradients", async (runtime) => {
    const f = await compileFunction(({ x, w }) => ({
      same: x, again: x, three: literal(3, "float64"), zero: grad(([_u]) => reduceSum(x))([w])[0], half: mul(w, 0.5),
    }), { x: { dtype: "float64", shape: ["batch"] }, w: { dtype: "float64", shape: [2] } }, { runtime });
    const out = await f.run({ x: tensor([1, 2, 3], { dtype: "float64" }), w: tensor([4, 6], { dtype: "float64" }) });
    expect([out.same.toArray(), out.again.toArray(), out.three.toArray(), out.zero.toArray(), out.half.toArray()]).toEqual([[1, 2, 3], [1, 2, 3], [3], [0, 0], [2, 3]]);
    await f.dispose();
  });

  it.each(["js", "ort"] as const)("%s: broadcasts to extents that are products of symbols", async (runtime) => {
    // [batch, 2, 3] -> [batch * 2, 3]: zeros of that shape need the run-time value of "batch*2".
    const f = await compileFunction(({ x }) => {
      const rows = reshape(x, [-1, 3]);
      return { rows, zeros: zerosLike(rows), sum: add(rows, broadcastTo(literal(1, "float64"), rows.shape)) };
    }, { x: { dtype: "float64", shape: ["batch", 2, 3] } }, { runtime });
    expect(f.program.outputs[0].value.shape).toEqual(["batch*2", 3]);
    const out = await f.run({ x: tensor(Array.from({ length: 12 }, (_, i) => i), { dtype: "float64", shape: [2, 2, 3] }) });
    expect(out.zeros.shape).toEqual([4, 3]);
    expect(out.zeros.toArray()).toEqual(new Array(12).fill(0));
    expect(out.sum.toArray()).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    await f.dispose();
  });

  it("names an extent it cannot compute at run time", () => {
    const program = trace(({ x }) => ({ y: broadcastTo(literal(0, "float64"), ["other", 2]), x }), { x: { dtype: "float64", shape: ["batch"] } });
    expect(() => lowerProgram(program)).toThrow('the extent "other" is not a product of numbers and symbols of graph inputs');
  });

  it("compiling the same program again returns the cached compiled graph", async () => {
    const first = await compileFunction(fn, specs, { runtime: "js" });
    const second = await compileProgram(trace(fn, specs), { runtime: "js" });
    expect(second.compiled).toBe(first.compiled);
    await Promise.all([first.dispose(), second.dispose()]);
  });

  it("simplifies before compiling unless asked not to", async () => {
    // A product of constants is folded away.
    const twice = ({ x }: Record<string, Value>) => ({ y: add(exp(x), exp(x)), z: mul(f64Literal(), 1) });
    const f64Literal = () => literal(tensor([[1, 2]], { dtype: "float64" }));
    const simplified = await compileFunction(twice, { x: { dtype: "float64", shape: [2] } }, { runtime: "js" });
    const raw = await compileFunction(twice, { x: { dtype: "float64", shape: [2] } }, { runtime: "js", simplify: false });
    expect(raw.graph.nodes.some((n) => n.op === "Mul")).toBe(true);
    expect(simplified.graph.nodes.some((n) => n.op === "Mul")).toBe(false);
    const out = await simplified.run({ x: tensor([0, 1], { dtype: "float64" }) });
    assertAllClose(out.z, f64([[1, 2]]), { rtol: 0 }, "z");
    assertAllClose(out.y, [2, 2 * Math.E], { rtol: 1e-15 }, "y");
    await Promise.all([simplified.dispose(), raw.dispose()]);
  });
});
