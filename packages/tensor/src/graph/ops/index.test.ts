import { describe, expect, it } from "vitest";
import { GraphError } from "../../errors.js";
import { getOperator, OPERATORS } from "./index.js";

describe("the operator registry", () => {
  it("holds the opset-17 operators curv supports, each under its own name", () => {
    expect(OPERATORS.size).toBe(65);
    for (const [name, definition] of OPERATORS) expect(definition.name).toBe(name);
  });

  it.each([...OPERATORS.values()].map((d) => [d.name, d] as const))("%s constrains every input's type variable", (_name, definition) => {
    for (const input of definition.inputs) expect(definition.typeConstraints[input.type], `${definition.name} input ${input.name}`).toBeDefined();
    expect(definition.outputCount.min).toBeLessThanOrEqual(definition.outputCount.max);
    for (const [attribute, spec] of Object.entries(definition.attributes)) {
      if (spec.default !== undefined && spec.oneOf) expect(spec.oneOf, attribute).toContain(spec.default);
    }
  });

  it("throws a GraphError naming an unknown operator", () => {
    expect(() => getOperator("Gelu")).toThrow(GraphError);
    expect(() => getOperator("Gelu")).toThrow('unknown operator "Gelu"; curv supports Abs, Add, And, ArgMax');
  });
});
