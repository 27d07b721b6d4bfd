import { describe, expect, it } from "vitest";
import { OnnxError } from "../errors.js";
import type { AttributeValue } from "../graph/ir.js";
import { tensor } from "../tensor.js";
import { attributeFromProto, attributeToProto, shortestFloat32 } from "./attributes.js";
import { int64Bits } from "./int64.js";
import { AttributeType } from "./schema.js";

const typeOf = (op: string, name: string, value: AttributeValue) => attributeToProto(op, name, value, "node").type;

describe("attributeToProto: the typing rule", () => {
  it.each([
    ["LeakyRelu", "alpha", 1, AttributeType.FLOAT],
    ["Gemm", "beta", 0, AttributeType.FLOAT],
    ["BatchNormalization", "epsilon", 1e-5, AttributeType.FLOAT],
    ["BatchNormalization", "momentum", 1, AttributeType.FLOAT],
    ["Constant", "value_float", 2, AttributeType.FLOAT],
    ["RandomNormal", "seed", 3, AttributeType.FLOAT],
    ["Dropout", "seed", 3, AttributeType.INT],
    ["Softmax", "axis", -1, AttributeType.INT],
    ["Gemm", "transB", 1, AttributeType.INT],
    ["Custom", "weight", 0.5, AttributeType.FLOAT],
    ["Custom", "weight", Number.NaN, AttributeType.FLOAT],
    ["Transpose", "perm", [1, 0, 2], AttributeType.INTS],
    ["Constant", "value_floats", [1, 2], AttributeType.FLOATS],
    ["Custom", "weights", [1, 0.5], AttributeType.FLOATS],
    ["Squeeze", "axes", [], AttributeType.INTS],
    ["Constant", "value_floats", [], AttributeType.FLOATS],
    ["Resize", "mode", "linear", AttributeType.STRING],
    ["Custom", "names", ["a", "é"], AttributeType.STRINGS],
    ["Constant", "value", tensor([1, 2]), AttributeType.TENSOR],
  ] as const)("%s.%s = %o is %i", (op, name, value, type) => {
    expect(typeOf(op, name, value as AttributeValue)).toBe(type);
  });

  it("writes ints as int64 halves, strings as UTF-8 bytes, tensors as TensorProtos", () => {
    expect(attributeToProto("Slice", "ends", [-1, 2 ** 40], "n").ints).toEqual([int64Bits(-1n), int64Bits(2n ** 40n)]);
    expect([...attributeToProto("X", "s", "é", "n").s!]).toEqual([0xc3, 0xa9]);
    expect(attributeToProto("Constant", "value", tensor([1], { dtype: "int32" }), "n").t?.raw_data).toEqual(new Uint8Array([1, 0, 0, 0]));
  });

  it.each([
    [[1, "a"], "a list must hold only numbers or only strings"],
    [true, "expected a number, string, list of numbers or strings, or Tensor; got boolean true"],
    [{ a: 1 }, "expected a number, string, list of numbers or strings, or Tensor; got [object Object]"],
    [null, "expected a number, string, list of numbers or strings, or Tensor; got null"],
  ])("refuses %o, naming the node and attribute", (value, expected) => {
    const encode = () => attributeToProto("Op", "bad", value as unknown as AttributeValue, 'node "n" (op Op)');
    expect(encode).toThrow(OnnxError);
    expect(encode).toThrow(`node "n" (op Op): attribute "bad": ${expected}`);
  });
});

describe("attributeFromProto", () => {
  it.each<[string, AttributeValue]>([
    ["alpha", 0.01],
    ["beta", 1],
    ["axis", -2],
    ["ends", [0, 9007199254740991]],
    ["scales", [0.1, 2.5]],
    ["mode", "nearest"],
    ["names", ["x", "ü", ""]],
    ["value", tensor([[1, 2]], { dtype: "float64" })],
  ])("reads back %s", (name, value) => {
    const op = name === "ends" ? "Slice" : "Op";
    expect(attributeFromProto(attributeToProto(op, name, value, "n"), "n")).toEqual(value);
  });

  it("reads the INT64_MAX sentinel as the nearest double, which encodes back to INT64_MAX", () => {
    const read = attributeFromProto({ name: "ends", type: AttributeType.INTS, ints: [int64Bits(2n ** 63n - 1n)] }, "n");
    expect(read).toEqual([2 ** 63]);
    expect(attributeToProto("Slice", "ends", read, "n").ints).toEqual([int64Bits(2n ** 63n - 1n)]);
  });

  it.each([
    [AttributeType.GRAPH, "GRAPH"],
    [AttributeType.GRAPHS, "GRAPHS"],
    [AttributeType.TENSORS, "TENSORS"],
    [AttributeType.SPARSE_TENSOR, "SPARSE_TENSOR"],
    [AttributeType.TYPE_PROTO, "TYPE_PROTO"],
    [AttributeType.UNDEFINED, "UNDEFINED"],
    [42, "attribute type 42"],
  ])("refuses attribute type %i, naming the node and attribute", (type, name) => {
    const decode = () => attributeFromProto({ name: "body", type }, 'node "loop" (op Loop)');
    expect(decode).toThrow(OnnxError);
    expect(decode).toThrow(`node "loop" (op Loop): attribute "body" has type ${name}, which curv does not support`);
  });

  it("refuses function attribute references and strings that are not UTF-8", () => {
    expect(() => attributeFromProto({ name: "a", type: AttributeType.FLOAT, ref_attr_name: "alpha" }, "n")).toThrow(
      'attribute "a" refers to function attribute "alpha"',
    );
    expect(() => attributeFromProto({ name: "s", type: AttributeType.STRING, s: new Uint8Array([0xff, 0xfe]) }, "n")).toThrow(
      /attribute "s": string is not valid UTF-8/,
    );
    expect(() => attributeFromProto({ name: "t", type: AttributeType.TENSOR }, "n")).toThrow("has type TENSOR but no tensor");
  });
});

describe("shortestFloat32", () => {
  it.each([
    [0.1, 0.1],
    [0.01, 0.01],
    [1e-5, 1e-5],
    [3.4028234663852886e38, 3.4028235e38],
    [1, 1],
    [-0.3, -0.3],
    [16777217, 16777216],
  ])("%s as float32 reads back as %s", (written, expected) => {
    const stored = Math.fround(written);
    expect(shortestFloat32(stored)).toBe(expected);
    expect(Math.fround(shortestFloat32(stored))).toBe(stored);
  });

  it("keeps -0, infinities and NaN", () => {
    expect(Object.is(shortestFloat32(-0), -0)).toBe(true);
    expect(shortestFloat32(Infinity)).toBe(Infinity);
    expect(shortestFloat32(Number.NaN)).toBeNaN();
  });

  it("rounds every float32 it returns to the input (a sweep of bit patterns)", () => {
    const bits = new Uint32Array(1);
    const value = new Float32Array(bits.buffer);
    for (let k = 0; k < 2000; k++) {
      bits[0] = (k * 2654435761) >>> 0;
      if (!Number.isFinite(value[0])) continue;
      expect(Math.fround(shortestFloat32(value[0]))).toBe(value[0]);
    }
  });
});
