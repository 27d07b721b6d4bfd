import { describe, expect, it } from "vitest";
import { evaluateGraph, GraphBuilder, validateGraph } from "../../graph/index.js";
import { tensor } from "../../tensor.js";
import { assertAllClose } from "../../test/all-close.js";
import { lowerForOrt } from "./lower-for-ort.js";

function erfGraph(dtype: "float32" | "float64", op = "Erf") {
  const b = new GraphBuilder("g");
  b.output(b.op(op, [b.input("x", dtype, [3])]), "y");
  return b.build();
}

describe("lowerForOrt", () => {
  it("returns graphs that need nothing as they are", () => {
    for (const graph of [erfGraph("float32"), erfGraph("float64", "Exp")]) expect(lowerForOrt(graph, "cpu")).toBe(graph);
  });

  it("lowers for the providers whose float64 lands on ORT's CPU kernels, not for CUDA", () => {
    const graph = erfGraph("float64");
    for (const provider of ["cpu", "wasm", "webgpu"] as const) expect(lowerForOrt(graph, provider)).not.toBe(graph);
    expect(lowerForOrt(graph, "cuda")).toBe(graph);
  });

  it("leaves the user's graph unchanged", () => {
    const graph = erfGraph("float64");
    const before = JSON.stringify({ ...graph, constants: [...graph.constants.keys()] });
    const lowered = lowerForOrt(graph, "cpu");
    expect(JSON.stringify({ ...graph, constants: [...graph.constants.keys()] })).toBe(before);
    expect(lowered.inputs).toEqual(graph.inputs);
    expect(lowered.outputs).toEqual(graph.outputs);
    expect(graph.constants.size).toBe(0);
    expect(lowered.constants.size).toBeGreaterThan(0);
  });

  it("names new values so that they clash with none of the user's", () => {
    const b = new GraphBuilder("clash");
    const x = b.input("x", "float64", [2]);
    // The names the first lowered nodes would take, were they not checked.
    const taken = b.input("e/lowered/Abs_0", "float64", [2]);
    const taken2 = b.input("e/lowered/Abs_1", "float64", [2]);
    const erf = b.op("Erf", [x], {}, { name: "e" });
    b.output(b.op("Add", [b.op("Add", [erf, taken]), taken2]), "y");
    const graph = b.build();
    const lowered = lowerForOrt(graph, "cpu");
    validateGraph(lowered);
    const feeds = { x: tensor([0.3, -2], { dtype: "float64" }), "e/lowered/Abs_0": tensor([1, 2], { dtype: "float64" }), "e/lowered/Abs_1": tensor([0, 1], { dtype: "float64" }) };
    assertAllClose(evaluateGraph(lowered, feeds).y, evaluateGraph(graph, feeds).y, { rtol: 1e-14 });
  });
});
