import { describe, expect, it } from "vitest";
import { OnnxError } from "../errors.js";
import type { Graph, Node, ValueInfo } from "../graph/ir.js";
import { tensor } from "../tensor.js";
import { encodeOnnx } from "./encode-model.js";
import { attributeBytes, graphBytes, modelBytes, nodeBytes, tensorBytes, valueInfoBytes } from "./testdata/onnx-wire.js";
import { MAX_ONNX_OPSET } from "./versions.js";

// onnx.proto's TensorProto.DataType code for FLOAT, typed in.
const FLOAT = 1;

function smallGraph(overrides: Partial<Graph> = {}): Graph {
  return {
    name: "small",
    inputs: [{ name: "x", dtype: "float32", shape: ["batch", 2] }],
    outputs: [
      { name: "y", dtype: "float32", shape: ["batch", 2] },
      { name: "t", dtype: "float32", shape: [2, "batch"] },
    ],
    nodes: [
      { op: "Mul", inputs: ["x", "w"], outputs: ["m"], attributes: {}, name: "scale" },
      { op: "LeakyRelu", inputs: ["m"], outputs: ["y"], attributes: { alpha: 1 } },
      { op: "Transpose", inputs: ["y"], outputs: ["t"], attributes: { perm: [1, 0] } },
      { op: "Gelu", inputs: ["x"], outputs: ["g"], attributes: {}, domain: "com.microsoft" },
    ],
    constants: new Map([["w", tensor([1, -2], { dtype: "float32" })]]),
    opset: 17,
    ...overrides,
  };
}

function encodeError(graph: Graph, options?: Parameters<typeof encodeOnnx>[1]): string {
  try {
    encodeOnnx(graph, options);
  } catch (error) {
    if (error instanceof OnnxError) return error.message;
    throw new Error(`expected an OnnxError, got ${String(error)}`);
  }
  throw new Error("expected encodeOnnx to throw");
}

describe("encodeOnnx", () => {
  it("writes exactly the bytes of the same model written field by field from onnx.proto", () => {
    const expected = modelBytes({
      irVersion: 8,
      producerName: "curv",
      graph: graphBytes({
        nodes: [
          nodeBytes({ inputs: ["x", "w"], outputs: ["m"], name: "scale", op: "Mul" }),
          nodeBytes({ inputs: ["m"], outputs: ["y"], op: "LeakyRelu", attributes: [attributeBytes.float("alpha", 1)] }),
          nodeBytes({ inputs: ["y"], outputs: ["t"], op: "Transpose", attributes: [attributeBytes.ints("perm", [1, 0])] }),
          nodeBytes({ inputs: ["x"], outputs: ["g"], op: "Gelu", domain: "com.microsoft" }),
        ],
        name: "small",
        initializers: [tensorBytes({ dims: [2], dataType: FLOAT, name: "w", rawData: new Uint8Array([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]) })],
        inputs: [valueInfoBytes("x", FLOAT, ["batch", 2])],
        outputs: [valueInfoBytes("y", FLOAT, ["batch", 2]), valueInfoBytes("t", FLOAT, [2, "batch"])],
      }),
      opsets: [["", 17], ["com.microsoft", 1]],
    });
    expect(Buffer.from(encodeOnnx(smallGraph())).toString("hex")).toBe(Buffer.from(expected).toString("hex"));
  });

  it("returns a plain Uint8Array that owns its bytes", () => {
    const bytes = encodeOnnx(smallGraph());
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  });

  it("is deterministic: equal graphs give equal bytes, whatever order their attributes were written in", () => {
    const first = encodeOnnx(smallGraph());
    expect(encodeOnnx(smallGraph())).toEqual(first);
    const attributes = { keepdims: 0, axes: [1], noop_with_empty_axes: 1 };
    const reordered = { noop_with_empty_axes: 1, axes: [1], keepdims: 0 };
    const withReduce = (a: Node["attributes"]): Graph =>
      smallGraph({ nodes: [...smallGraph().nodes, { op: "ReduceMax", inputs: ["y"], outputs: ["r"], attributes: a }] });
    expect(encodeOnnx(withReduce(attributes))).toEqual(encodeOnnx(withReduce(reordered)));
  });

  it("writes the producer name and IR version asked for", () => {
    const bytes = encodeOnnx(smallGraph(), { producerName: "tests", irVersion: 10 });
    expect([...bytes.subarray(0, 9)]).toEqual([0x08, 10, 0x12, 5, ...new TextEncoder().encode("tests")]);
  });

  it.each([
    [13, 7],
    [17, 8],
    [18, 8],
    [19, 9],
    [21, 10],
    [23, 11],
  ])("declares for opset %i the IR version %i of the ONNX release that introduced it", (opset, irVersion) => {
    const bytes = encodeOnnx(smallGraph({ opset }));
    // ir_version is field 1, a varint: tag byte 0x08, then the value.
    expect([...bytes.subarray(0, 2)]).toEqual([0x08, irVersion]);
  });
});

describe("encodeOnnx: errors", () => {
  const input = (name: string, shape: ValueInfo["shape"] = [2]): ValueInfo => ({ name, dtype: "float32", shape });

  it.each([
    [{ opset: 6 }, 'unsupported opset 6 for domain "ai.onnx"'],
    [{ opset: MAX_ONNX_OPSET + 1 }, `unsupported opset ${MAX_ONNX_OPSET + 1} for domain "ai.onnx"`],
    [{ nodes: [{ op: "Frob", inputs: ["x"], outputs: ["y"], attributes: {}, domain: "org.example" }] }, 'node #0 (op Frob) uses unknown domain "org.example"'],
    [{ nodes: [{ op: "Add", inputs: ["x", "b"], outputs: ["y"], attributes: {}, name: "add" }] }, 'missing input: node "add" (op Add) reads "b"'],
    [{ inputs: [input("x"), input("w")] }, 'duplicate value name "w": defined by a graph input and by a constant (initializer)'],
    [{ nodes: [{ op: "Relu", inputs: ["x"], outputs: ["x"], attributes: {} }] }, 'duplicate value name "x"'],
    [{ nodes: [] }, 'graph output "y" is not defined'],
    [{ inputs: [input("x", [-1])] }, 'graph input "x": extent -1 of axis 0 is neither a non-negative integer nor a symbol name'],
    [{ inputs: [input("x", [1.5])] }, "extent 1.5 of axis 0"],
    [{ inputs: [input("x", [""])] }, 'extent "" of axis 0'],
    [{ inputs: [{ name: "x", dtype: "float16" as never, shape: [2] }] }, 'graph input "x": dtype "float16" has no ONNX data type'],
    [{ nodes: [{ op: "Elu", inputs: ["x"], outputs: ["y"], attributes: { alpha: true as never }, name: "elu" }] }, 'node "elu" (op Elu): attribute "alpha": expected a number'],
    [{ nodes: [{ op: "", inputs: ["x"], outputs: ["y"], attributes: {} }] }, "node #0 has no operator"],
  ] as [Partial<Graph>, string][])("refuses %o, saying which", (overrides, expected) => {
    const graph = { ...smallGraph(), outputs: [{ name: "y", dtype: "float32", shape: [2] }], ...overrides } as Graph;
    expect(encodeError(graph)).toContain(expected);
  });

  it.each([2, 14, 8.5])("refuses irVersion %s", (irVersion) => {
    expect(encodeError(smallGraph(), { irVersion })).toContain(`irVersion must be an integer from 3 to 13, got ${irVersion}`);
  });
});
