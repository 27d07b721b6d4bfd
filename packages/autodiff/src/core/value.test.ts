import { describe, expect, it } from "vitest";
import { add, exp, mul, pow, reshape, transpose, zerosLike } from "../primitives/index.js";
import { jvp } from "../transforms/jvp.js";
import { input, literal } from "./leaves.js";
import { trace } from "./program.js";

describe("Value", () => {
  it("is hash-consed: the same application is the same object", () => {
    const x = input("x", "float64", ["batch", 3]);
    expect(exp(x)).toBe(exp(x));
    expect(mul(x, 2)).toBe(mul(x, 2));
    expect(mul(x, 2)).not.toBe(mul(x, 3));
    expect(add(exp(x), 1)).toBe(add(exp(x), literal(1, "float64")));
    expect(reshape(x, ["batch", 3, 1])).toBe(reshape(x, ["batch", -1, 1]));
  });

  it("pow's derivative vanishes for exponent 0 (no 0 * inf at x = 0) and needs no power for exponent 1", () => {
    const x = input("x", "float64", [2]);
    const v = input("v", "float64", [2]);
    expect(jvp(([u]) => [pow(u, 0)], [x], [v])[1][0]).toBe(zerosLike(x));
    expect(jvp(([u]) => [pow(u, 1)], [x], [v])[1][0]).toBe(mul(v, literal(1, "float64")));
  });

  it("composes transposes and reshapes at construction", () => {
    const w = input("w", "float64", [2, 3, 4]);
    expect(transpose(transpose(w, [1, 0, 2]), [1, 0, 2])).toBe(w);
    expect(transpose(transpose(w, [1, 2, 0]), [1, 2, 0])).toBe(transpose(w, [2, 0, 1]));
    expect(reshape(reshape(w, [6, 4]), [24])).toBe(reshape(w, [24]));
    expect(reshape(reshape(w, [24]), [2, 3, 4])).toBe(w);
  });

  it("keeps inputs apart even under one name, and literals by value", () => {
    expect(input("x", "float64", [2])).not.toBe(input("x", "float64", [2]));
    expect(literal(0.5, "float64")).toBe(literal(0.5, "float64"));
    expect(literal(0, "float64")).not.toBe(literal(-0, "float64"));
    expect(literal(1, "float32")).not.toBe(literal(1, "float64"));
  });

  it("carries dtype and symbolic shape, and prints them", () => {
    const x = input("x", "float32", ["batch", 4]);
    const y = mul(exp(x), 2);
    expect([y.dtype, y.shape, y.rank, String(y)]).toEqual(["float32", ["batch", 4], 2, "float32 [batch, 4]"]);
    expect(Object.isFrozen(y.shape)).toBe(true);
  });

  it("traces a function into named outputs over its inputs", () => {
    const program = trace(({ x, w }) => ({ y: add(x, w), z: exp(x) }), {
      x: { dtype: "float64", shape: ["batch", 2] },
      w: { dtype: "float64", shape: [2] },
    }, "f");
    expect(program.name).toBe("f");
    expect(program.inputs.map((v) => v.source.kind === "input" && v.source.name)).toEqual(["x", "w"]);
    expect(program.outputs.map((o) => [o.name, o.value.shape])).toEqual([["y", ["batch", 2]], ["z", ["batch", 2]]]);
    expect(trace(({ x }) => exp(x), { x: { dtype: "float64", shape: [1] } }).outputs[0].name).toBe("output");
  });

  it("rejects bad input names and literal values", () => {
    expect(() => input("", "float64", [1])).toThrow("input: expected a non-empty name");
    expect(() => literal(0.5, "int64")).toThrow("literal: 0.5 is not a valid int64");
  });
});
