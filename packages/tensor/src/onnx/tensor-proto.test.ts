import { describe, expect, it } from "vitest";
import { OnnxError } from "../errors.js";
import { tensor, Tensor } from "../tensor.js";
import { int64Bits } from "./int64.js";
import { DataLocation, TensorDataType, type TensorMessage } from "./schema.js";
import { tensorFromProto, tensorToProto } from "./tensor-proto.js";

const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString("hex");

describe("tensorToProto", () => {
  // Expected bytes written out by hand from IEEE 754 / two's complement, little-endian.
  it.each([
    ["float32", tensor([1, -2], { dtype: "float32" }), TensorDataType.FLOAT, "0000803f000000c0"],
    ["float64", tensor([1.5], { dtype: "float64" }), TensorDataType.DOUBLE, "000000000000f83f"],
    ["int32", tensor([-1, 258], { dtype: "int32" }), TensorDataType.INT32, "ffffffff02010000"],
    ["int64", tensor([-2n, 2n ** 40n], { dtype: "int64" }), TensorDataType.INT64, "feffffffffffffff0000000000010000"],
    ["bool", tensor([true, false, true]), TensorDataType.BOOL, "010001"],
  ] as const)("writes %s elements little-endian in raw_data", (_, t, dataType, expected) => {
    const message = tensorToProto(t, "w");
    expect(message.data_type).toBe(dataType);
    expect(message.name).toBe("w");
    expect(hex(message.raw_data)).toBe(expected);
  });

  it("writes dims as int64 and leaves the name out when none is given", () => {
    const message = tensorToProto(new Tensor("float32", [2, 0, 3]));
    expect(message.dims).toEqual([int64Bits(2n), int64Bits(0n), int64Bits(3n)]);
    expect(message).not.toHaveProperty("name");
    expect(message.raw_data).toHaveLength(0);
  });
});

describe("tensorFromProto", () => {
  const message = (overrides: Partial<TensorMessage>): TensorMessage => ({ name: "w", dims: [2], ...overrides });

  it.each([
    tensor([[1.5, -2.25, 3]], { dtype: "float32" }),
    tensor([Math.PI, -Number.MAX_VALUE, Number.MIN_VALUE], { dtype: "float64" }),
    tensor([[-2147483648], [2147483647]], { dtype: "int32" }),
    tensor([-(2n ** 63n), 2n ** 63n - 1n, 0n], { dtype: "int64" }),
    tensor([[true, false], [false, true]]),
    tensor(7, { dtype: "float64" }),
    new Tensor("int64", [0, 4]),
  ])("reads back what tensorToProto writes: %s", (t) => {
    expect(tensorFromProto(tensorToProto(t, "w"), "w")).toEqual(t);
  });

  it("reads raw_data that sits at an odd offset inside a larger buffer", () => {
    const backing = new Uint8Array(9);
    const raw = backing.subarray(1);
    new DataView(raw.buffer, 1).setFloat64(0, -0.125, true);
    expect(tensorFromProto(message({ dims: [1], data_type: TensorDataType.DOUBLE, raw_data: raw }), "w").toArray()).toEqual([-0.125]);
  });

  it.each<[number, Partial<TensorMessage>, string, (number | bigint)[]]>([
    [TensorDataType.FLOAT, { float_data: [1.5, -2] }, "float32", [1.5, -2]],
    [TensorDataType.DOUBLE, { double_data: [0.1, 1e300] }, "float64", [0.1, 1e300]],
    [TensorDataType.INT32, { int32_data: [-3, 4] }, "int32", [-3, 4]],
    [TensorDataType.BOOL, { int32_data: [1, 0] }, "bool", [1, 0]],
    [TensorDataType.INT64, { int64_data: [int64Bits(-(2n ** 40n)), 5] }, "int64", [-(2n ** 40n), 5n]],
  ])("reads data type %i from its typed field", (dataType, field, dtype, expected) => {
    const t = tensorFromProto(message({ data_type: dataType, ...field }), "w");
    expect(t.dtype).toBe(dtype);
    expect(t.shape).toEqual([2]);
    expect(Array.from(t.data as ArrayLike<number | bigint>)).toEqual(expected);
  });

  it.each([
    [TensorDataType.FLOAT16, "FLOAT16"],
    [TensorDataType.UINT8, "UINT8"],
    [TensorDataType.STRING, "STRING"],
    [TensorDataType.BFLOAT16, "BFLOAT16"],
    [99, "data type 99"],
  ])("refuses data type %i, naming the tensor and the type", (dataType, name) => {
    const t = message({ data_type: dataType, raw_data: new Uint8Array(4) });
    expect(() => tensorFromProto(t, 'initializer "w"')).toThrow(OnnxError);
    expect(() => tensorFromProto(t, 'initializer "w"')).toThrow(`initializer "w" has data type ${name}, which curv does not support`);
  });

  it("refuses external data, naming the tensor", () => {
    const external = message({ data_type: TensorDataType.FLOAT, data_location: DataLocation.EXTERNAL, external_data: [{ key: "location", value: "w.bin" }] });
    expect(() => tensorFromProto(external, 'initializer "w"')).toThrow(/initializer "w" stores its data outside the model file \(external data\), which is not supported/);
    const listedOnly = message({ data_type: TensorDataType.FLOAT, external_data: [{ key: "location", value: "w.bin" }] });
    expect(() => tensorFromProto(listedOnly, "w")).toThrow(OnnxError);
  });

  it.each<[Partial<TensorMessage>, string]>([
    [{ raw_data: new Uint8Array(7) }, "raw_data has 7 bytes, but float32 shape [2] needs 8"],
    [{ float_data: [1, 2, 3] }, "float_data has 3 values, but float32 shape [2] needs 2"],
    [{ double_data: [1, 2] }, "has no data: neither raw_data nor float_data holds the 2 values"],
    [{}, "has no data"],
    [{ dims: [-1], float_data: [1] }, "extent -1 of axis 0 is not a valid size"],
  ])("refuses storage that does not fit the shape: %o", (fields, expected) => {
    const t = message({ data_type: TensorDataType.FLOAT, ...fields });
    expect(() => tensorFromProto(t, "w")).toThrow(OnnxError);
    expect(() => tensorFromProto(t, "w")).toThrow(expected);
  });

  it("refuses shapes too large to hold, before allocating", () => {
    const t = message({ data_type: TensorDataType.FLOAT, dims: [2 ** 40, 2 ** 40], raw_data: new Uint8Array(4) });
    expect(() => tensorFromProto(t, "w")).toThrow(OnnxError);
  });
});
