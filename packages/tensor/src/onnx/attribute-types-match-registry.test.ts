// The encoder types attributes by name (see attributes.ts) so that it does
// not depend on the operator registry; this test keeps the two in agreement
// for every attribute of every operator the registry defines.
import { describe, expect, it } from "vitest";
import { OPERATORS, type AttributeKind } from "../graph/index.js";
import type { AttributeValue } from "../graph/ir.js";
import { tensor } from "../tensor.js";
import { attributeToProto } from "./attributes.js";
import { AttributeType } from "./schema.js";

// For each kind: a value that the name rule must type correctly even though
// its numbers are integers, and the ONNX type the registry expects.
const PROBE: Record<AttributeKind, [AttributeValue, number]> = {
  int: [1, AttributeType.INT],
  ints: [[1, 0], AttributeType.INTS],
  float: [1, AttributeType.FLOAT],
  floats: [[1, 0], AttributeType.FLOATS],
  string: ["x", AttributeType.STRING],
  tensor: [tensor([1]), AttributeType.TENSOR],
};

const cases = [...OPERATORS.values()].flatMap((definition) =>
  Object.entries(definition.attributes ?? {}).map(([name, spec]) => [definition.name, name, spec.kind] as const),
);

describe("attribute types agree with the operator registry", () => {
  it("has attributes to check", () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases)("%s.%s is written as %s", (op, name, kind) => {
    const [value, type] = PROBE[kind];
    expect(attributeToProto(op, name, value, op).type).toBe(type);
  });
});
