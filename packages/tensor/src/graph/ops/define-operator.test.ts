import { describe, expect, it } from "vitest";
import { DTypeError, GraphError, ShapeError } from "../../errors.js";
import { neg } from "../../kernels/index.js";
import { tensor, type Tensor } from "../../tensor.js";
import { defineOperator } from "./define-operator.js";
import { FLOAT_DTYPES, INT64_DTYPES } from "./operator.js";

/** A made-up operator: Y = -X, with an optional int64 input and a float attribute. */
const scaled = defineOperator({
  name: "Negate",
  inputs: [{ name: "X", type: "T" }, { name: "Y", type: "T" }, { name: "steps", type: "I", optional: true }],
  typeConstraints: { T: FLOAT_DTYPES, I: INT64_DTYPES },
  attributes: { alpha: { kind: "float", default: 1 }, mode: { kind: "string", default: "a", oneOf: ["a", "b"] } },
  inferTypes: ([x]) => [{ dtype: x!.dtype, shape: x!.shape }],
  evaluate: ([x]) => [neg(x as Tensor<"float32">)],
});

describe("defineOperator", () => {
  it("derives the input count range and per-input dtypes", () => {
    expect(scaled.inputCount).toEqual({ min: 2, max: 3 });
    expect(scaled.outputCount).toEqual({ min: 1, max: 1 });
    expect(scaled.inputDTypes(1)).toEqual(FLOAT_DTYPES);
    expect(scaled.inputDTypes(2)).toEqual(INT64_DTYPES);
  });

  it.each<[string, Parameters<typeof scaled.inferTypes>[0], typeof GraphError, string]>([
    ["too few inputs", [{ dtype: "float32", shape: [1] }], GraphError, "Negate: expects 2 to 3 inputs (X, Y, steps), got 1"],
    ["a missing required input", [{ dtype: "float32", shape: [1] }, undefined, { dtype: "int64", shape: [1] }], GraphError, 'input 1 ("Y") is required but missing'],
    ["a dtype outside the constraint", [{ dtype: "float32", shape: [1] }, { dtype: "float32", shape: [1] }, { dtype: "int32", shape: [1] }], DTypeError, 'input 2 ("steps") must be int64, got int32'],
    ["a type variable bound twice", [{ dtype: "float32", shape: [1] }, { dtype: "float64", shape: [1] }], DTypeError, "both have type T and must match"],
  ])("rejects %s", (_what, inputs, errorClass, message) => {
    expect(() => scaled.inferTypes(inputs)).toThrow(errorClass);
    expect(() => scaled.inferTypes(inputs)).toThrow(message);
  });

  it("ignores trailing omitted inputs and prefixes errors with the given context", () => {
    const x = { dtype: "float32", shape: [2] } as const;
    expect(scaled.inferTypes([x, x, undefined])).toEqual([x]);
    expect(() => scaled.inferTypes([x], {}, [], 'node "n7" (Negate)')).toThrow('node "n7" (Negate): expects 2 to 3 inputs');
  });

  it.each<[Record<string, unknown>, string]>([
    [{ beta: 1 }, 'attribute "beta" is not an attribute of this operator (known: alpha, mode)'],
    [{ alpha: "big" }, 'attribute "alpha" must be a number, got "big"'],
    [{ mode: "c" }, 'attribute "mode" must be one of a, b, got "c"'],
    [{ mode: 1 }, 'attribute "mode" must be a string, got 1'],
  ])("rejects attributes %j", (attributes, message) => {
    const x = { dtype: "float32", shape: [2] } as const;
    expect(() => scaled.inferTypes([x, x], attributes as never)).toThrow(GraphError);
    expect(() => scaled.inferTypes([x, x], attributes as never)).toThrow(`Negate: ${message}`);
  });

  it("evaluates and checks the requested output count", () => {
    const x = tensor([1, -2]);
    expect(scaled.evaluate([x, x])[0].toArray()).toEqual([-1, 2]);
    expect(() => scaled.evaluate([x, x], {}, { outputCount: 2 })).toThrow("Negate: produces 1 outputs, 2 requested");
  });

  it("keeps the error class of kernels and rules when adding context", () => {
    const failing = defineOperator({
      name: "Fails",
      inputs: [],
      typeConstraints: {},
      inferTypes: () => {
        throw new ShapeError("no shape");
      },
      evaluate: () => [],
    });
    expect(() => failing.inferTypes([], {}, [], "here")).toThrow(ShapeError);
    expect(() => failing.inferTypes([], {}, [], "here")).toThrow("here: no shape");
  });

  it("rejects a result that disagrees with the type rule", () => {
    const lying = defineOperator({
      name: "Lies",
      inputs: [{ name: "X", type: "T" }],
      typeConstraints: { T: FLOAT_DTYPES },
      inferTypes: ([x]) => [{ dtype: x!.dtype, shape: [...x!.shape, 1] }],
      evaluate: ([x]) => [x!],
    });
    expect(() => lying.evaluate([tensor([1, 2])])).toThrow("Lies: output 0 is float32 [2] but the type rule says float32 [2, 1]");
  });
});
