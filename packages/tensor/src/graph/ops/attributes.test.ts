import { describe, expect, it } from "vitest";
import { AttributeReader } from "./attributes.js";

describe("AttributeReader", () => {
  const reader = new AttributeReader(
    { epsilon: { kind: "float", default: 1e-5 }, scales: { kind: "floats" }, axis: { kind: "int", default: 1 } },
    { scales: [0.1, 2] },
  );

  it("rounds FLOAT attributes to float32, as ONNX stores them and ORT reads them", () => {
    expect(reader.float("epsilon")).toBe(Math.fround(1e-5));
    expect(reader.float("epsilon")).not.toBe(1e-5);
    expect(reader.floats("scales")).toEqual([Math.fround(0.1), 2]);
  });

  it("leaves INT attributes exact and applies defaults", () => {
    expect(reader.int("axis")).toBe(1);
  });
});
