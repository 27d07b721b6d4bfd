import { Generator, tensor, ValueError, type Tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { BatchNorm2d } from "../nn/batch-norm2d.js";
import { Conv2d } from "../nn/conv2d.js";
import { Linear } from "../nn/linear.js";
import { Sequential } from "../nn/sequential.js";
import type { StateDict } from "../nn/module.js";
import { stateDictFromJson, stateDictToJson } from "./json.js";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.js";

/** Entry-by-entry identity, NaN equal to NaN and -0 apart from 0 (Object.is). */
function expectIdentical(actual: StateDict, expected: StateDict): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const [key, t] of Object.entries(expected)) {
    expect(actual[key].dtype, key).toBe(t.dtype);
    expect(actual[key].shape, key).toEqual(t.shape);
    const a = Array.from(actual[key].data as ArrayLike<number | bigint>);
    const b = Array.from(t.data as ArrayLike<number | bigint>);
    expect(a.every((v, i) => Object.is(v, b[i])), key).toBe(true);
  }
}

/** Every supported dtype, awkward values included. */
function awkwardStateDict(): StateDict {
  return {
    "layer.weight": tensor([[0.1, 1 / 3, -1e-300], [Number.MAX_VALUE, Number.MIN_VALUE, -0]], { dtype: "float64" }),
    "layer.bias": tensor([Math.fround(0.1), Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY], { dtype: "float32" }),
    counts: tensor([-(2 ** 40), 0, 2 ** 53 - 1], { dtype: "int64" }),
    labels: tensor([[-7, 2147483647]], { dtype: "int32" }),
    mask: tensor([1, 0, 1], { dtype: "bool" }),
    step: tensor([12], { dtype: "int64", shape: [] }),
    empty: tensor([], { dtype: "float32", shape: [0, 3] }),
  };
}

function cnn(seed: number): Sequential {
  const generator = new Generator(seed);
  return new Sequential(new Conv2d(2, 4, 3, { generator }), new BatchNorm2d(4), new Linear(4, 2, { generator }));
}

describe("state dicts as JSON", () => {
  it("round-trip bit for bit (float64 shortest round-trip strings; NaN, infinities and -0 as strings; int64, int32, bool)", () => {
    const dict = awkwardStateDict();
    expectIdentical(stateDictFromJson(stateDictToJson(dict)), dict);
  });

  it("reads the fixture layout {name: {shape, data}} as float64 by default", () => {
    const state = stateDictFromJson('{"0.weight": {"shape": [2, 1], "data": [0.5, -1.25]}, "0.bias": {"shape": [2], "data": [3, 4]}}');
    expect(Object.keys(state)).toEqual(["0.weight", "0.bias"]);
    expect(state["0.weight"].dtype).toBe("float64");
    expect(state["0.weight"].toNested()).toEqual([[0.5], [-1.25]]);
    expect(stateDictFromJson({ w: { shape: [1], data: [2] } }, { defaultDType: "float32" }).w.dtype).toBe("float32");
  });

  it("moves a model's weights into another model", () => {
    const source = cnn(1);
    const target = cnn(2);
    target.loadStateDict(stateDictFromJson(stateDictToJson(source.stateDict())));
    expectIdentical(target.stateDict(), source.stateDict());
  });

  it.each([
    { name: "not JSON", json: "{", message: "state dict JSON: not valid JSON" },
    { name: "an array", json: "[]", message: "expected an object mapping names to {shape, data}" },
    { name: "an entry that is a number", json: '{"w": 3}', message: '"w" must be an object {shape, data}, got 3' },
    { name: "a bad shape", json: '{"w": {"shape": [2, -1], "data": []}}', message: '"w".shape must be an array of non-negative integers' },
    { name: "too little data", json: '{"w": {"shape": [2, 2], "data": [1, 2, 3]}}', message: '"w".data must be an array of 4 numbers for shape [2, 2], got 3 entries' },
    { name: "a string in the data", json: '{"w": {"shape": [2], "data": [1, "x"]}}', message: '"w".data[1] is not a number: "x"' },
    { name: "an unknown dtype", json: '{"w": {"shape": [1], "data": [1], "dtype": "float16"}}', message: '"w".dtype must be one of' },
  ])("rejects $name", ({ json, message }) => {
    expect(() => stateDictFromJson(json)).toThrow(ValueError);
    expect(() => stateDictFromJson(json)).toThrow(message);
  });

  it("refuses int64 values JSON numbers cannot keep exactly", () => {
    expect(() => stateDictToJson({ n: tensor([2 ** 53 + 2], { dtype: "int64" }) })).toThrow("beyond the integers JSON numbers keep exactly");
  });
});

/** A safetensors file built by hand from the specification, independent of the writer. */
function handBuiltFile(header: object, data: number[], { pad = true } = {}): Uint8Array {
  let json = JSON.stringify(header);
  if (pad) json += " ".repeat((8 - (json.length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  out.set(data, 8 + headerBytes.length);
  return out;
}

/** Little-endian bytes of float32 values. */
const float32Bytes = (values: number[]) => Array.from(new Uint8Array(new Float32Array(values).buffer));

describe("state dicts as safetensors", () => {
  it("round-trip every supported dtype with metadata, in order", () => {
    const dict = awkwardStateDict();
    const { tensors, metadata } = decodeSafetensors(encodeSafetensors(dict, { format: "pt" }));
    expectIdentical(tensors, dict);
    expect(metadata).toEqual({ format: "pt" });
  });

  it("reads a file built by hand from the specification (F32 and I64, little-endian, offsets after the header)", () => {
    const bytes = handBuiltFile(
      { __metadata__: { source: "hand" }, b: { dtype: "I64", shape: [2], data_offsets: [8, 24] }, a: { dtype: "F32", shape: [2], data_offsets: [0, 8] } },
      [...float32Bytes([1.5, -2]), 7, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
    );
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(Object.keys(tensors)).toEqual(["a", "b"]);
    expect(tensors.a.dtype).toBe("float32");
    expect(tensors.a.toArray()).toEqual([1.5, -2]);
    expect(tensors.b.dtype).toBe("int64");
    expect(tensors.b.toArray()).toEqual([7, -1]);
    expect(metadata).toEqual({ source: "hand" });
  });

  it("writes the layout of the specification: u64 header length, space-padded JSON header, raw data", () => {
    const bytes = encodeSafetensors({ w: tensor([1.5, -2], { dtype: "float32" }) });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
    expect(JSON.parse(header)).toEqual({ w: { dtype: "F32", shape: [2], data_offsets: [0, 8] } });
    expect(header.trimEnd()).toBe('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}');
    expect(Array.from(bytes.subarray(8 + headerLength))).toEqual(float32Bytes([1.5, -2]));
  });

  it("moves a model's weights into another model", () => {
    const source = cnn(3);
    const target = cnn(4);
    target.loadStateDict(decodeSafetensors(encodeSafetensors(source.stateDict())).tensors);
    expectIdentical(target.stateDict(), source.stateDict());
  });

  const valid = handBuiltFile({ a: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }, float32Bytes([1, 2]));
  const withLength = (length: bigint) => {
    const copy = valid.slice();
    new DataView(copy.buffer).setBigUint64(0, length, true);
    return copy;
  };
  it.each([
    { name: "a file shorter than 8 bytes", bytes: new Uint8Array(5), message: "the file has 5 bytes; expected at least 8" },
    { name: "a header length beyond the file", bytes: withLength(1000n), message: "the header length 1000 exceeds the" },
    { name: "an absurd header length", bytes: withLength(2n ** 60n), message: "exceeds the 100 MB limit" },
    { name: "a header that is not JSON", bytes: handBuiltFile({}, []).fill(0x7b, 8), message: "the header is not valid UTF-8 JSON" },
    { name: "a header that is an array", bytes: handBuiltFile([1, 2], []), message: "the header must be a JSON object" },
    { name: "an unsupported dtype", bytes: handBuiltFile({ a: { dtype: "F16", shape: [2], data_offsets: [0, 4] } }, [0, 0, 0, 0]), message: 'tensor "a": dtype "F16" is not supported' },
    { name: "offsets that disagree with the shape", bytes: handBuiltFile({ a: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, float32Bytes([1, 2])), message: "F32 [3] needs 12 bytes, data_offsets span 8" },
    { name: "reversed offsets", bytes: handBuiltFile({ a: { dtype: "F32", shape: [0], data_offsets: [8, 0] } }, []), message: "data_offsets must be [begin, end]" },
    {
      name: "a hole in the data",
      bytes: handBuiltFile({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] }, b: { dtype: "F32", shape: [1], data_offsets: [8, 12] } }, float32Bytes([1, 2, 3])),
      message: 'tensor "b" starts at byte 8, expected 4 (the data has a hole)',
    },
    {
      name: "overlapping tensors",
      bytes: handBuiltFile({ a: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, b: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, float32Bytes([1, 2])),
      message: "overlapping tensors",
    },
    { name: "truncated data", bytes: valid.subarray(0, valid.length - 2), message: "the tensors cover 8 bytes but the data section has 6" },
    { name: "trailing bytes", bytes: handBuiltFile({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, float32Bytes([1, 2])), message: "the tensors cover 4 bytes but the data section has 8" },
    { name: "metadata that is not a string map", bytes: handBuiltFile({ __metadata__: { n: 1 } }, []), message: "__metadata__ must map strings to strings" },
  ])("rejects $name with a clear error", ({ bytes, message }) => {
    expect(() => decodeSafetensors(bytes)).toThrow(ValueError);
    expect(() => decodeSafetensors(bytes)).toThrow(message);
  });

  it("refuses to write a tensor named __metadata__ or a value that is not a tensor", () => {
    expect(() => encodeSafetensors({ __metadata__: tensor([1]) })).toThrow("reserved");
    expect(() => encodeSafetensors({ w: [1] as unknown as Tensor })).toThrow('"w" is not a Tensor');
  });
});
