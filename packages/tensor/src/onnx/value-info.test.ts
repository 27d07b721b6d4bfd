import { describe, expect, it } from "vitest";
import { UNKNOWN_DIM } from "../graph/symbolic-dim.js";
import { valueInfoToProto } from "./value-info.js";

describe("valueInfoToProto", () => {
  it("writes numbers as dim_value, symbols as dim_param and the unknown extent as an unnamed dim", () => {
    const proto = valueInfoToProto({ name: "x", dtype: "float32", shape: ["batch", 3, UNKNOWN_DIM, UNKNOWN_DIM] }, "input");
    const dims = proto.type!.tensor_type!.shape!.dim!;
    expect(dims[0]).toEqual({ dim_param: "batch" });
    expect(dims[1].dim_value).toMatchObject({ low: 3, high: 0 });
    // Two unknown extents must not share a name: ONNX would read them as equal.
    expect(dims[2]).toEqual({});
    expect(dims[3]).toEqual({});
  });

  it("rejects extents that are neither sizes nor symbols", () => {
    expect(() => valueInfoToProto({ name: "x", dtype: "float32", shape: [-1] }, "input")).toThrow(/axis 0/);
  });
});
