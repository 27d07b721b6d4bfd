import { describe, expect, it } from "vitest";
import { OnnxError } from "../errors.js";
import { irVersionForOpset, MAX_IR_VERSION, MAX_ONNX_OPSET, MIN_ONNX_OPSET } from "./versions.js";

describe("irVersionForOpset", () => {
  // Rows of the ONNX versioning table (docs/Versioning.md): release, IR version, opset.
  it.each([
    [7, 3], [9, 4], [10, 5], [11, 6], [13, 7], [15, 8], [17, 8], [18, 8],
    [19, 9], [20, 9], [21, 10], [22, 10], [23, 11],
  ])("opset %i needs IR version %i", (opset, ir) => {
    expect(irVersionForOpset(opset)).toBe(ir);
  });

  it("knows every supported opset, never above the newest IR version curv writes", () => {
    for (let opset = MIN_ONNX_OPSET; opset <= MAX_ONNX_OPSET; opset++) {
      const ir = irVersionForOpset(opset);
      expect(ir).toBeGreaterThanOrEqual(3);
      expect(ir).toBeLessThanOrEqual(MAX_IR_VERSION);
      if (opset > MIN_ONNX_OPSET) expect(ir).toBeGreaterThanOrEqual(irVersionForOpset(opset - 1));
    }
  });

  it.each([MIN_ONNX_OPSET - 1, MAX_ONNX_OPSET + 1, 17.5])("refuses opset %s, naming the domain and version", (opset) => {
    expect(() => irVersionForOpset(opset)).toThrow(OnnxError);
    expect(() => irVersionForOpset(opset)).toThrow(`unsupported opset ${opset} for domain "ai.onnx"`);
  });
});
