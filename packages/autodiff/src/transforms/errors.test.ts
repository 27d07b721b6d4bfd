/**
 * Error paths: a missing rule names the primitive and the transformation;
 * shape and dtype mismatches name the primitive and both types.
 */
import { CurvError, DTypeError, GraphError, ShapeError, ValueError } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { input } from "../core/leaves.js";
import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import { add, exp, matmul, mul, reduceSum, reshape, transpose } from "../primitives/index.js";
import { vmap } from "./batch.js";
import { jvp } from "./jvp.js";
import { MissingRuleError } from "./rule-lookup.js";
import { transposeLinear } from "./transpose.js";
import { grad, vjp } from "./vjp.js";

// A primitive with a type rule and nothing else.
const bareP = definePrimitive<NoParams>("bare", ([x]) => x);
const bare = (x: ReturnType<typeof input>) => bind(bareP, [x], {});

describe("missing rules", () => {
  const x = input("x", "float64", [3]);
  const v = input("v", "float64", [3]);

  it.each([
    { transformation: "jvp", run: () => jvp(([u]) => [bare(u)], [x], [v]) },
    { transformation: "jvp", run: () => grad(([u]) => reduceSum(bare(u)))([x]) },
    { transformation: "batch", run: () => vmap(([u]) => [bare(u)], 2, [true])([input("xs", "float64", [2, 3])]) },
  ])("$transformation of an unknown primitive names both", ({ transformation, run }) => {
    expect(run).toThrow(MissingRuleError);
    expect(run).toThrow(`no ${transformation} rule for primitive "bare"`);
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(GraphError);
      expect(error).toMatchObject({ primitive: "bare", transformation, code: "GRAPH_INVALID" });
    }
  });

  it("transposing a nonlinear primitive names it", () => {
    expect(() => transposeLinear([exp(x)], [v], [x])).toThrow('no transpose rule for primitive "exp"');
  });
});

describe("shape and dtype errors", () => {
  const a = input("a", "float64", [2, 3]);
  it.each([
    { what: "broadcast", run: () => add(a, input("b", "float64", [4])), type: ShapeError, message: "add(float64 [2, 3], float64 [4]): cannot broadcast shapes [2, 3] and [4]" },
    { what: "dtype", run: () => mul(a, input("b", "float32", [2, 3])), type: DTypeError, message: "mul(float64 [2, 3], float32 [2, 3]): operand 1 is float32, operand 0 is float64" },
    { what: "matmul", run: () => matmul(a, input("b", "float64", [2, 3])), type: ShapeError, message: "matmul(float64 [2, 3], float64 [2, 3]): inner extents differ" },
    { what: "matmul rank", run: () => matmul(a, input("b", "float64", [3])), type: ShapeError, message: "operands need at least 2 axes" },
    { what: "reshape", run: () => reshape(a, [4, 2]), type: ShapeError, message: "cannot reshape [2, 3] (6 elements) into [4, 2] (8 elements)" },
    { what: "transpose", run: () => transpose(a, [0, 0]), type: ValueError, message: "perm [0, 0] is not a permutation of 2 axes" },
    { what: "jvp tangent", run: () => jvp(([u]) => [exp(u)], [a], [input("t", "float64", [3, 2])]), type: ShapeError, message: "jvp: tangent 0: expected float64 [2, 3], got float64 [3, 2]" },
    { what: "grad of a non-scalar", run: () => grad(([u]) => exp(u))([a]), type: ShapeError, message: "grad: the function must return a scalar (or all extents 1), got [2, 3]" },
    { what: "repeated primal", run: () => grad(([u, v]) => reduceSum(mul(u, v)))([a, a]), type: ValueError, message: "linearize: primal 1 is the same value as primal 0" },
    { what: "cotangent count", run: () => vjp(([u]) => [exp(u)], [a])[1]([]), type: ValueError, message: "vjp: 1 outputs but 0 cotangents" },
    { what: "cotangent shape", run: () => transposeLinear([mul(a, 2)], [input("c", "float64", [3])], [a]), type: ShapeError, message: "transpose: cotangent 0: expected float64 [2, 3], got float64 [3]" },
  ])("$what", ({ run, type, message }) => {
    expect(run).toThrow(type);
    expect(run).toThrow(message);
    expect(run).toThrow(CurvError);
  });

  it("rejects values that are not traced", () => {
    expect(() => exp(3 as never)).toThrow("exp: operand 0 is not a traced value (got number)");
    expect(() => add(1, 2)).toThrow("add: at least one operand must be a traced value");
  });
});
