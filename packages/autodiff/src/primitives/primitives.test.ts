/**
 * One row per primitive: JVP against finite differences, the transpose
 * identity <J v, w> = <v, J^T w> between the JVP and the VJP, and the
 * Hessian-vector product of <f(x), w> against finite differences of its
 * gradient, on the `js` runtime in float64; then ORT CPU in float32 against
 * the float64 results.
 */
import { describe, expect, it } from "vitest";
import { checkJsFloat64, checkOrtFloat32, checkWebGpuParity } from "../testing/derivative-suite.js";
import { PRIMITIVE_ROWS as ROWS } from "../testing/primitive-rows.js";
import { PRIMITIVES } from "./index.js";

describe("the primitive table", () => {
  it("has one row for every primitive, and there are 33", () => {
    expect(PRIMITIVES.length).toBe(33);
    expect(new Set(ROWS.map((r) => r.primitive))).toEqual(new Set(PRIMITIVES.map((p) => p.primitive)));
  });
});

describe.each(ROWS)("$name", (row) => {
  it("js float64: JVP and HVP match finite differences; VJP is the JVP's transpose", () => checkJsFloat64(row));
  it("ort cpu float32: matches the float64 results of the same inputs", () => checkOrtFloat32(row));
  it("ort webgpu float32: matches ort cpu", () => checkWebGpuParity(row));
});
