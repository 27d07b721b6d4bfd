import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CurvError, OnnxError } from "../errors.js";
import { validateGraph } from "../graph/index.js";
import { Generator } from "../random.js";
import { tensor } from "../tensor.js";
import { decodeOnnx } from "./decode-model.js";
import { attributeBytes, graphBytes, modelBytes, nodeBytes, tensorBytes, valueInfoBytes } from "./testdata/onnx-wire.js";

// onnx.proto's TensorProto.DataType codes, typed in (not taken from schema.ts).
const FLOAT = 1;
const INT32 = 6;
const INT64 = 7;
const BOOL = 9;
const FLOAT16 = 10;
const DOUBLE = 11;

const fixture = new Uint8Array(readFileSync(new URL("./testdata/mlp-mse.onnx", import.meta.url)));

/** A model around `graph` that imports the default domain at `opset` (and `extra` domains). */
function model(graph: Uint8Array, opset = 17, extra: [string, number][] = []): Uint8Array {
  return modelBytes({ irVersion: 8, graph, opsets: [["", opset], ...extra] });
}

/** x --Relu--> y, with float32 x, y of shape ["batch", 3]. */
const reluNode = nodeBytes({ inputs: ["x"], outputs: ["y"], op: "Relu" });
const xInfo = valueInfoBytes("x", FLOAT, ["batch", 3]);
const yInfo = valueInfoBytes("y", FLOAT, ["batch", 3]);
const reluGraph = graphBytes({ nodes: [reluNode], name: "relu", inputs: [xInfo], outputs: [yInfo] });

function decodeError(bytes: Uint8Array): OnnxError {
  try {
    decodeOnnx(bytes);
  } catch (error) {
    if (error instanceof OnnxError) return error;
    throw new Error(`expected an OnnxError, got ${String(error)}`);
  }
  throw new Error("expected decodeOnnx to throw");
}

describe("decodeOnnx: the PyTorch export of the tutorial MLP", () => {
  const graph = decodeOnnx(fixture);

  it("has one input with the symbolic batch axis and one output", () => {
    expect(graph.inputs).toEqual([{ name: "input", dtype: "float32", shape: ["batch", 7] }]);
    expect(graph.outputs).toEqual([{ name: "logits", dtype: "float32", shape: ["batch", 3] }]);
    expect(graph.opset).toBe(17);
    expect(graph.name).toBe("torch_jit");
  });

  it("has the parameters as constants in PyTorch order and layout, and not among the inputs", () => {
    expect([...graph.constants].map(([name, t]) => [name, t.dtype, t.shape])).toEqual([
      ["0.weight", "float32", [5, 7]],
      ["0.bias", "float32", [5]],
      ["2.weight", "float32", [5, 5]],
      ["2.bias", "float32", [5]],
      ["4.weight", "float32", [3, 5]],
      ["4.bias", "float32", [3]],
    ]);
  });

  it("holds the weights PyTorch wrote to the golden fixture", () => {
    // From mlp-mse.golden.json (params[0] row 0 and params[5]), exact in float32.
    const firstRow = [
      -0.3522455394268036, 0.3358185887336731, 0.28738898038864136, -0.3770301342010498,
      0.07074438780546188, -0.06367190182209015, -0.06219826638698578,
    ];
    expect(graph.constants.get("0.weight")!.slice(0).toArray()).toEqual(firstRow);
    expect(graph.constants.get("4.bias")!.toArray()).toEqual([0.005783447064459324, -0.20315790176391602, 0.1684650033712387]);
  });

  it("has the layers as named Gemm, Relu, Gemm, Sigmoid, Gemm nodes with float alpha/beta and int transB", () => {
    expect(graph.nodes.map((n) => [n.name, n.op])).toEqual([
      ["/0/Gemm", "Gemm"],
      ["/1/Relu", "Relu"],
      ["/2/Gemm", "Gemm"],
      ["/3/Sigmoid", "Sigmoid"],
      ["/4/Gemm", "Gemm"],
    ]);
    expect(graph.nodes[0]).toEqual({
      op: "Gemm",
      name: "/0/Gemm",
      inputs: ["input", "0.weight", "0.bias"],
      outputs: ["/0/Gemm_output_0"],
      attributes: { alpha: 1, beta: 1, transB: 1 },
    });
    expect(graph.nodes[4].outputs).toEqual(["logits"]);
  });

  it("is a valid graph for curv's operator registry, with the declared output type", () => {
    expect(validateGraph(graph).get("logits")).toEqual({ dtype: "float32", shape: ["batch", 3] });
  });
});

describe("decodeOnnx: models written field by field", () => {
  it("decodes a minimal model", () => {
    expect(decodeOnnx(model(reluGraph))).toEqual({
      name: "relu",
      inputs: [{ name: "x", dtype: "float32", shape: ["batch", 3] }],
      outputs: [{ name: "y", dtype: "float32", shape: ["batch", 3] }],
      nodes: [{ op: "Relu", inputs: ["x"], outputs: ["y"], attributes: {} }],
      constants: new Map(),
      opset: 17,
    });
  });

  it("reads every in-file tensor storage form", () => {
    const rawFloat32 = new Uint8Array(new Float32Array([0.5, -1]).buffer);
    const initializers = [
      tensorBytes({ name: "raw", dims: [2], dataType: FLOAT, rawData: rawFloat32 }),
      tensorBytes({ name: "f32", dims: [1, 2], dataType: FLOAT, floatData: [1.5, -2.5] }),
      tensorBytes({ name: "f64", dims: [2], dataType: DOUBLE, doubleData: [0.1, -1e300] }),
      tensorBytes({ name: "i32", dims: [3], dataType: INT32, int32Data: [-7, 0, 2147483647] }),
      tensorBytes({ name: "i64", dims: [2], dataType: INT64, int64Data: [-(2n ** 62n), 2n ** 40n + 1n] }),
      tensorBytes({ name: "b", dims: [2, 1], dataType: BOOL, int32Data: [1, 0] }),
      tensorBytes({ name: "scalar", dims: [], dataType: DOUBLE, doubleData: [3.25] }),
      tensorBytes({ name: "empty", dims: [0, 2], dataType: FLOAT }),
    ];
    const graph = decodeOnnx(model(graphBytes({ nodes: [reluNode], initializers, inputs: [xInfo], outputs: [yInfo] })));
    expect([...graph.constants.keys()]).toEqual(["raw", "f32", "f64", "i32", "i64", "b", "scalar", "empty"]);
    expect(graph.constants.get("raw")).toEqual(tensor([0.5, -1], { dtype: "float32" }));
    expect(graph.constants.get("f32")).toEqual(tensor([[1.5, -2.5]], { dtype: "float32" }));
    expect(graph.constants.get("f64")).toEqual(tensor([0.1, -1e300], { dtype: "float64" }));
    expect(graph.constants.get("i32")).toEqual(tensor([-7, 0, 2147483647], { dtype: "int32" }));
    expect(graph.constants.get("i64")).toEqual(tensor([-(2n ** 62n), 2n ** 40n + 1n], { dtype: "int64" }));
    expect(graph.constants.get("b")).toEqual(tensor([[true], [false]]));
    expect(graph.constants.get("scalar")).toEqual(tensor(3.25, { dtype: "float64" }));
    expect(graph.constants.get("empty")!.shape).toEqual([0, 2]);
  });

  it("drops graph inputs that are initializers too, as exporters before IR 4 wrote them", () => {
    const w = tensorBytes({ name: "w", dims: [3], dataType: FLOAT, floatData: [1, 2, 3] });
    const mul = nodeBytes({ inputs: ["x", "w"], outputs: ["y"], op: "Mul" });
    const graph = decodeOnnx(
      model(graphBytes({ nodes: [mul], initializers: [w], inputs: [xInfo, valueInfoBytes("w", FLOAT, [3])], outputs: [yInfo] })),
    );
    expect(graph.inputs.map((v) => v.name)).toEqual(["x"]);
    expect(graph.constants.get("w")!.toArray()).toEqual([1, 2, 3]);
  });

  it("gives every dimension without value or name a symbol of its own, unlike any the model names", () => {
    const x = valueInfoBytes("x", FLOAT, [null, null, "x_dim0", 4]);
    const y = valueInfoBytes("y", FLOAT, [null, 0, -1]);
    const graph = decodeOnnx(model(graphBytes({ nodes: [reluNode], inputs: [x], outputs: [y] })));
    expect(graph.inputs[0].shape).toEqual(["x_dim0_", "x_dim1", "x_dim0", 4]);
    // -1, which some exporters write for "unknown", is unknown too.
    expect(graph.outputs[0].shape).toEqual(["y_dim0", 0, "y_dim2"]);
  });

  it("keeps Constant nodes with their tensor value, node names, optional empty inputs and other domains", () => {
    const value = tensorBytes({ dims: [2], dataType: INT64, int64Data: [3n, -1n] });
    const nodes = [
      nodeBytes({ outputs: ["shape"], name: "c", op: "Constant", attributes: [attributeBytes.tensor("value", value)] }),
      nodeBytes({ inputs: ["x", "shape"], outputs: ["r"], op: "Reshape", attributes: [attributeBytes.int("allowzero", 0)] }),
      nodeBytes({ inputs: ["r", "", "r"], outputs: ["y", ""], name: "gelu", op: "BiasGelu", domain: "com.microsoft" }),
    ];
    const graph = decodeOnnx(model(graphBytes({ nodes, inputs: [xInfo], outputs: [yInfo] }), 17, [["com.microsoft", 1]]));
    expect(graph.nodes).toEqual([
      { op: "Constant", name: "c", inputs: [], outputs: ["shape"], attributes: { value: tensor([3n, -1n]) } },
      { op: "Reshape", inputs: ["x", "shape"], outputs: ["r"], attributes: { allowzero: 0 } },
      { op: "BiasGelu", name: "gelu", domain: "com.microsoft", inputs: ["r", "", "r"], outputs: ["y", ""], attributes: {} },
    ]);
  });

  it("reads every attribute kind", () => {
    const attributes = [
      attributeBytes.float("f", 0.1),
      attributeBytes.int("i", -3),
      attributeBytes.string("s", new TextEncoder().encode("naïve")),
      attributeBytes.tensor("t", tensorBytes({ dims: [1], dataType: DOUBLE, doubleData: [2.5] })),
      attributeBytes.floats("fs", [0.25, 1e-5]),
      attributeBytes.ints("is", [1, -1, 2n ** 40n]),
      attributeBytes.strings("ss", ["a", "b"]),
    ];
    const node = nodeBytes({ inputs: ["x"], outputs: ["y"], op: "Custom", attributes, domain: "com.microsoft" });
    const graph = decodeOnnx(model(graphBytes({ nodes: [node], inputs: [xInfo], outputs: [yInfo] }), 17, [["com.microsoft", 1]]));
    expect(graph.nodes[0].attributes).toEqual({
      f: 0.1, i: -3, s: "naïve", t: tensor([2.5], { dtype: "float64" }), fs: [0.25, 1e-5], is: [1, -1, 2 ** 40], ss: ["a", "b"],
    });
  });

  it("reads an attribute named __proto__ as a plain attribute, leaving the object's prototype alone", () => {
    const node = nodeBytes({ inputs: ["x"], outputs: ["y"], op: "Relu", attributes: [attributeBytes.int("__proto__", 1)] });
    const read = decodeOnnx(model(graphBytes({ nodes: [node], inputs: [xInfo], outputs: [yInfo] }))).nodes[0].attributes;
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(Object.keys(read)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(read, "__proto__")?.value).toBe(1);
  });

  it("accepts the default domain spelled ai.onnx, and opsets from 7", () => {
    const bytes = modelBytes({ irVersion: 3, graph: reluGraph, opsets: [["ai.onnx", 7]] });
    expect(decodeOnnx(bytes).opset).toBe(7);
  });
});

describe("decodeOnnx: errors", () => {
  it.each([
    ["no graph", modelBytes({ irVersion: 8, opsets: [["", 17]] }), "not an ONNX model: the message has no graph"],
    ["empty bytes", new Uint8Array(), "not an ONNX model"],
    ["no default opset", modelBytes({ irVersion: 8, graph: reluGraph, opsets: [["com.microsoft", 1]] }), 'imports no opset for the default domain "ai.onnx"'],
    ["opset 6", model(reluGraph, 6), 'unsupported opset 6 for domain "ai.onnx"'],
    ["opset 27", model(reluGraph, 27), 'unsupported opset 27 for domain "ai.onnx"'],
  ])("%s", (_, bytes, expected) => {
    expect(decodeError(bytes).message).toContain(expected);
  });

  it("names an unknown domain, and a known one the model does not import", () => {
    const custom = nodeBytes({ inputs: ["x"], outputs: ["y"], name: "n1", op: "Frob", domain: "org.example" });
    const unknown = model(graphBytes({ nodes: [custom], inputs: [xInfo], outputs: [yInfo] }), 17, [["org.example", 1]]);
    expect(decodeError(unknown).message).toContain('node "n1" (op Frob) uses unknown domain "org.example"; known domains: ai.onnx, com.microsoft');
    const contrib = nodeBytes({ inputs: ["x"], outputs: ["y"], op: "Gelu", domain: "com.microsoft" });
    const unimported = model(graphBytes({ nodes: [contrib], inputs: [xInfo], outputs: [yInfo] }));
    expect(decodeError(unimported).message).toContain('node #0 (op Gelu) uses domain "com.microsoft", which the model does not import');
  });

  it("names the node, its op and the input that nothing defines", () => {
    const nodes = [reluNode, nodeBytes({ inputs: ["y", "bias"], outputs: ["z"], name: "add", op: "Add" })];
    const bytes = model(graphBytes({ nodes, inputs: [xInfo], outputs: [yInfo] }));
    expect(decodeError(bytes).message).toContain('missing input: node "add" (op Add) reads "bias"');
  });

  it("refuses a node that reads a value defined only by a later node", () => {
    const nodes = [nodeBytes({ inputs: ["h"], outputs: ["y"], op: "Relu" }), nodeBytes({ inputs: ["x"], outputs: ["h"], op: "Neg" })];
    expect(decodeError(model(graphBytes({ nodes, inputs: [xInfo], outputs: [yInfo] }))).message).toContain('missing input: node #0 (op Relu) reads "h"');
  });

  it.each([
    ["an input and a node output", [xInfo, valueInfoBytes("y", FLOAT, [3])], [], [reluNode], 'duplicate value name "y": defined by a graph input and by an output of node #0 (op Relu)'],
    ["two initializers", [xInfo], ["w", "w"], [reluNode], 'duplicate value name "w": two initializers share it'],
    ["two node outputs", [xInfo], [], [reluNode, nodeBytes({ inputs: ["x"], outputs: ["y"], op: "Neg" })], 'duplicate value name "y"'],
  ] as const)("refuses a value name defined twice: %s", (_, inputs, initializerNames, nodes, expected) => {
    const initializers = initializerNames.map((name) => tensorBytes({ name, dims: [1], dataType: FLOAT, floatData: [1] }));
    const bytes = model(graphBytes({ nodes: [...nodes], initializers, inputs: [...inputs], outputs: [yInfo] }));
    expect(decodeError(bytes).message).toContain(expected);
  });

  it.each([
    ["a graph output nothing defines", graphBytes({ nodes: [reluNode], inputs: [xInfo], outputs: [valueInfoBytes("z", FLOAT, [1])] }), 'graph output "z" is not defined'],
    ["a float16 initializer", graphBytes({ nodes: [reluNode], initializers: [tensorBytes({ name: "h", dims: [1], dataType: FLOAT16, int32Data: [15360] })], inputs: [xInfo], outputs: [yInfo] }), 'initializer "h" has data type FLOAT16, which curv does not support'],
    ["a float16 input", graphBytes({ nodes: [reluNode], inputs: [valueInfoBytes("x", FLOAT16, [1])], outputs: [yInfo] }), 'graph input "x" has data type FLOAT16'],
    ["external data", graphBytes({ nodes: [reluNode], initializers: [tensorBytes({ name: "big", dims: [4], dataType: FLOAT, externalData: [["location", "big.bin"]], dataLocation: 1 })], inputs: [xInfo], outputs: [yInfo] }), 'initializer "big" stores its data outside the model file (external data), which is not supported'],
    ["a sparse initializer", graphBytes({ nodes: [reluNode], inputs: [xInfo], outputs: [yInfo], sparseInitializers: [new Uint8Array()] }), "sparse initializer"],
    ["an input without shape", graphBytes({ nodes: [reluNode], inputs: [valueInfoBytes("x", FLOAT, null)], outputs: [yInfo] }), 'graph input "x" has no shape'],
    ["an extent too large to be a size", graphBytes({ nodes: [reluNode], inputs: [valueInfoBytes("x", FLOAT, [2 ** 60])], outputs: [yInfo] }), 'graph input "x": extent 1152921504606846976 of axis 0 is too large'],
    ["an input that is not a tensor", graphBytes({ nodes: [reluNode], inputs: [new TextEncoder().encode("\n\u0001x")], outputs: [yInfo] }), 'graph input "x" is not a tensor'],
    ["a subgraph attribute", graphBytes({ nodes: [nodeBytes({ inputs: ["x"], outputs: ["y"], name: "if", op: "If", attributes: [attributeBytes.graph("then_branch", reluGraph)] })], inputs: [xInfo], outputs: [yInfo] }), 'node "if" (op If): attribute "then_branch" has type GRAPH, which curv does not support'],
    ["a function attribute reference", graphBytes({ nodes: [nodeBytes({ inputs: ["x"], outputs: ["y"], op: "Elu", attributes: [attributeBytes.reference("alpha", "a", 1)] })], inputs: [xInfo], outputs: [yInfo] }), 'attribute "alpha" refers to function attribute "a"'],
    ["an attribute given twice", graphBytes({ nodes: [nodeBytes({ inputs: ["x"], outputs: ["y"], op: "Elu", attributes: [attributeBytes.float("alpha", 1), attributeBytes.float("alpha", 2)] })], inputs: [xInfo], outputs: [yInfo] }), 'attribute "alpha" is given twice'],
    ["a node without op_type", graphBytes({ nodes: [nodeBytes({ inputs: ["x"], outputs: ["y"], op: "" })], inputs: [xInfo], outputs: [yInfo] }), "node #0 has no operator"],
  ])("refuses %s, saying which", (_, graph, expected) => {
    expect(decodeError(model(graph)).message).toContain(expected);
  });

  it("refuses an argument that is not bytes", () => {
    expect(() => decodeOnnx("model.onnx" as unknown as Uint8Array)).toThrow(OnnxError);
    expect(() => decodeOnnx([1, 2] as unknown as Uint8Array)).toThrow("expected the model bytes as a Uint8Array");
  });
});

describe("decodeOnnx: truncated and corrupt bytes", () => {
  it("refuses the fixture cut at every length with an OnnxError", () => {
    for (let length = 0; length < fixture.length; length++) {
      const error = decodeError(fixture.subarray(0, length));
      expect(error.code).toBe("ONNX");
    }
  });

  it("says the bytes could not be decoded when a field runs past the end", () => {
    expect(decodeError(fixture.subarray(0, 500)).message).toMatch(/^could not decode ONNX model: /);
  });

  it("refuses random bytes with an OnnxError", () => {
    const random = new Generator(7);
    for (let trial = 0; trial < 300; trial++) {
      const length = 1 + Math.floor(random.nextDouble() * 200);
      const garbage = Uint8Array.from(random.integers(0, 256, [length]).data as Int32Array);
      expect(decodeError(garbage)).toBeInstanceOf(OnnxError);
    }
  });

  it("either decodes the fixture with bytes overwritten or throws an OnnxError, nothing else", () => {
    const random = new Generator(11);
    let refused = 0;
    for (let trial = 0; trial < 300; trial++) {
      const corrupt = fixture.slice();
      for (let k = 0; k < 3; k++) corrupt[Math.floor(random.nextDouble() * corrupt.length)] = Math.floor(random.nextDouble() * 256);
      try {
        decodeOnnx(corrupt);
      } catch (error) {
        expect(error).toBeInstanceOf(OnnxError);
        expect(error).toBeInstanceOf(CurvError);
        refused++;
      }
    }
    // Most overwrites hit structure, not weight bytes, so most are refused.
    expect(refused).toBeGreaterThan(100);
  });
});
