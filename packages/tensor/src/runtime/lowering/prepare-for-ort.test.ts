import { describe, expect, it } from "vitest";
import { RuntimeError } from "../../errors.js";
import { GraphBuilder } from "../../graph/index.js";
import { explicitWindowAttributes } from "./explicit-window-attributes.js";
import { prepareForOrt } from "./prepare-for-ort.js";
import { trimOptionalInputs } from "./trim-optional-inputs.js";

function convGraph(attributes: Record<string, number[] | string> = {}) {
  const b = new GraphBuilder("conv");
  const x = b.input("x", "float32", ["batch", 2, 5, 5]);
  const w = b.input("w", "float32", [3, 2, 3, 1]);
  b.output(b.op("Conv", [x, w, undefined], attributes), "y");
  b.output(b.op("MaxPool", [x], { kernel_shape: [2, 2] }), "m");
  b.output(b.op("AveragePool", [x], { kernel_shape: [2, 2], strides: [2, 2] }), "a");
  return b.build();
}

describe("trimOptionalInputs", () => {
  it("drops trailing omitted inputs only, and returns an untouched graph as it is", () => {
    const graph = convGraph();
    expect(graph.nodes[0].inputs).toEqual(["x", "w", ""]);
    const trimmed = trimOptionalInputs(graph);
    expect(trimmed.nodes[0].inputs).toEqual(["x", "w"]);
    expect(trimmed.nodes[1]).toBe(graph.nodes[1]);
    expect(graph.nodes[0].inputs).toEqual(["x", "w", ""]);
    expect(trimOptionalInputs(trimmed)).toBe(trimmed);
  });

  it("keeps an omitted input that a later one follows", () => {
    const b = new GraphBuilder("clip");
    const x = b.input("x", "float32", [3]);
    b.output(b.op("Clip", [x, undefined, b.input("hi", "float32", [])]), "y");
    expect(trimOptionalInputs(b.build()).nodes[0].inputs).toEqual(["x", "", "hi"]);
  });
});

describe("explicitWindowAttributes", () => {
  it("writes out kernel_shape, strides and dilations, keeping what the node sets", () => {
    const graph = explicitWindowAttributes(convGraph({ strides: [2, 1], auto_pad: "SAME_UPPER" }));
    expect(graph.nodes[0].attributes).toEqual({ kernel_shape: [3, 1], strides: [2, 1], dilations: [1, 1], auto_pad: "SAME_UPPER" });
    expect(graph.nodes[1].attributes).toEqual({ kernel_shape: [2, 2], strides: [1, 1], dilations: [1, 1] });
    // AveragePool has no dilations attribute in opset 17.
    expect(graph.nodes[2].attributes).toEqual({ kernel_shape: [2, 2], strides: [2, 2] });
  });
});

describe("prepareForOrt", () => {
  it("writes window attributes out for WebGPU only, and trims inputs for every provider", () => {
    const graph = convGraph();
    expect(prepareForOrt(graph, "ort", "cpu").graph.nodes[0].attributes).toEqual({});
    expect(prepareForOrt(graph, "ort", "cpu").graph.nodes[0].inputs).toEqual(["x", "w"]);
    expect(prepareForOrt(graph, "ort", "webgpu").graph.nodes[0].attributes).toHaveProperty("dilations", [1, 1]);
  });

  it("names the MaxPool nodes whose indices are used for WebGPU's CPU fallback", () => {
    const b = new GraphBuilder("pools");
    const x = b.input("x", "float32", [1, 1, 4, 4]);
    const [values, indices] = b.op("MaxPool", [x], { kernel_shape: [2, 2] }, { outputs: 2, name: "withIndices" });
    b.output(values, "values");
    b.output(indices, "indices");
    b.output(b.op("MaxPool", [x], { kernel_shape: [3, 3] }), "plain");
    const unnamed = b.build();
    const graph = { ...unnamed, nodes: [{ ...unnamed.nodes[0], name: undefined }, unnamed.nodes[1]] };
    const prepared = prepareForOrt(graph, "ort", "webgpu");
    expect(prepared.cpuNodes).toEqual(["MaxPool_cpu_0_0"]);
    expect(prepared.graph.nodes[0].name).toBe("MaxPool_cpu_0_0");
    expect(prepareForOrt(unnamed, "ort", "webgpu").cpuNodes).toEqual(["withIndices"]);
    expect(prepareForOrt(unnamed, "ort", "cpu").cpuNodes).toEqual([]);
  });

  it("rewrites what onnxruntime-web's WebGPU kernels get wrong, in float32 only", () => {
    const b = new GraphBuilder("web");
    const x = b.input("x", "float32", [1, 2, 5, 5]);
    b.output(b.op("MaxPool", [x], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }), "m");
    b.output(b.op("AveragePool", [x], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }), "a");
    b.output(b.op("ConvTranspose", [x, b.input("w", "float32", [2, 1, 2, 2])]), "t");
    b.output(b.op("MaxPool", [x], { kernel_shape: [2, 2] }), "p");
    const ops = (graph: { nodes: readonly { op: string }[] }) => graph.nodes.map((n) => n.op);
    const onWeb = prepareForOrt(b.build(), "ort-web", "webgpu");
    expect(onWeb.cpuNodes).toEqual([]);
    expect(ops(onWeb.graph).filter((op) => ["MaxPool", "AveragePool", "ConvTranspose"].includes(op))).toEqual(["MaxPool"]);
    expect(ops(prepareForOrt(b.build(), "ort", "webgpu").graph)).toEqual(["MaxPool", "AveragePool", "ConvTranspose", "MaxPool"]);
    expect(ops(prepareForOrt(b.build(), "ort-web", "wasm").graph)).toEqual(["MaxPool", "AveragePool", "ConvTranspose", "MaxPool"]);
  });

  it("refuses MaxPool's Indices output on onnxruntime-web's WebGPU provider, naming the node", () => {
    const b = new GraphBuilder("indices");
    const x = b.input("x", "float32", [1, 1, 4, 4]);
    const [values, indices] = b.op("MaxPool", [x], { kernel_shape: [2, 2] }, { outputs: 2, name: "pool" });
    b.output(values, "values");
    b.output(indices, "indices");
    expect(() => prepareForOrt(b.build(), "ort-web", "webgpu")).toThrow(RuntimeError);
    expect(() => prepareForOrt(b.build(), "ort-web", "webgpu")).toThrow(/node "pool" \(MaxPool\): onnxruntime-web's WebGPU provider cannot compute MaxPool's Indices output/);
    expect(prepareForOrt(b.build(), "ort-web", "wasm").graph.nodes[0].op).toBe("MaxPool");
  });
});
