// The real check of the encoder: onnxruntime-node loads what encodeOnnx writes
// and computes the numbers a direct computation gives.
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { evaluateGraph, GraphBuilder } from "../graph/index.js";
import type { Graph } from "../graph/ir.js";
import { Tensor, tensor } from "../tensor.js";
import { decodeOnnx } from "./decode-model.js";
import { encodeOnnx } from "./encode-model.js";
import { graphBytes, modelBytes, nodeBytes, tensorBytes, valueInfoBytes } from "./testdata/onnx-wire.js";
import { MAX_ONNX_OPSET } from "./versions.js";

// Warnings (such as "opset 7 is old") would clutter the test output.
const quiet: ort.InferenceSession.SessionOptions = { logSeverityLevel: 3 };

async function run(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes, quiet);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

/** A row-major matrix as nested rows, for the direct computations below. */
const rows = (data: ArrayLike<number>, columns: number) =>
  Array.from({ length: data.length / columns }, (_, i) => Array.from(data).slice(i * columns, (i + 1) * columns));

describe("onnxruntime-node runs what encodeOnnx writes", () => {
  it("float32: Gemm (integer-valued float alpha), LeakyRelu and ReduceSum over a symbolic batch", async () => {
    const w = [[0.5, -1, 2], [1.5, 0.25, -0.75]];
    const b = [0.1, -0.2];
    const graph: Graph = {
      name: "dense",
      inputs: [{ name: "x", dtype: "float32", shape: ["batch", 3] }],
      outputs: [
        { name: "y", dtype: "float32", shape: ["batch", 2] },
        { name: "total", dtype: "float32", shape: ["batch"] },
      ],
      nodes: [
        { op: "Gemm", inputs: ["x", "w", "b"], outputs: ["h"], attributes: { alpha: 1, beta: 1, transB: 1 } },
        { op: "LeakyRelu", inputs: ["h"], outputs: ["y"], attributes: { alpha: 0.5 } },
        { op: "ReduceSum", inputs: ["y", "axes"], outputs: ["total"], attributes: { keepdims: 0 } },
      ],
      constants: new Map([
        ["w", tensor(w, { dtype: "float32" })],
        ["b", tensor(b, { dtype: "float32" })],
        ["axes", tensor([1n])],
      ]),
      opset: 17,
    };
    const bytes = encodeOnnx(graph);
    for (const batch of [4, 1]) {
      const x = Float32Array.from({ length: 3 * batch }, (_, i) => Math.fround(Math.sin(i + 1)));
      const out = await run(bytes, { x: new ort.Tensor("float32", x, [batch, 3]) });
      const expected = rows(x, 3).map((row) =>
        w.map((wr, j) => {
          const h = wr[0] * row[0] + wr[1] * row[1] + wr[2] * row[2] + b[j];
          return h > 0 ? h : 0.5 * h;
        }),
      );
      expect(out.y.dims).toEqual([batch, 2]);
      expect(Array.from(out.y.data as Float32Array)).toEqual(expected.flat().map((v) => expect.closeTo(v, 5)));
      expect(Array.from(out.total.data as Float32Array)).toEqual(expected.map((r) => expect.closeTo(r[0] + r[1], 5)));
    }
  });

  it("float64: MatMul and Softmax, to float64 precision", async () => {
    const a = [[0.3, -1.7], [2.9, 0.01]];
    const graph: Graph = {
      name: "softmax",
      inputs: [{ name: "x", dtype: "float64", shape: ["n", 2] }],
      outputs: [{ name: "p", dtype: "float64", shape: ["n", 2] }],
      nodes: [
        { op: "MatMul", inputs: ["x", "a"], outputs: ["z"], attributes: {} },
        { op: "Softmax", inputs: ["z"], outputs: ["p"], attributes: { axis: -1 } },
      ],
      constants: new Map([["a", tensor(a, { dtype: "float64" })]]),
      opset: 17,
    };
    const x = Float64Array.from([0.1, 0.7, -1.3, 2.2, Math.PI, Math.E]);
    const out = await run(encodeOnnx(graph), { x: new ort.Tensor("float64", x, [3, 2]) });
    const expected = rows(x, 2).flatMap(([x0, x1]) => {
      const z = [x0 * a[0][0] + x1 * a[1][0], x0 * a[0][1] + x1 * a[1][1]];
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      return e.map((v) => v / (e[0] + e[1]));
    });
    const p = Array.from(out.p.data as Float64Array);
    p.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-14));
  });

  it("int64: exact arithmetic past 2^53 and Gather with int64 indices", async () => {
    const big = 2n ** 60n + 3n;
    const graph: Graph = {
      name: "ints",
      inputs: [
        { name: "x", dtype: "int64", shape: ["n"] },
        { name: "index", dtype: "int64", shape: ["k"] },
      ],
      outputs: [
        { name: "y", dtype: "int64", shape: ["n"] },
        { name: "picked", dtype: "float32", shape: ["k", 2] },
      ],
      nodes: [
        { op: "Add", inputs: ["x", "big"], outputs: ["sum"], attributes: {} },
        { op: "Mul", inputs: ["sum", "minusTwo"], outputs: ["y"], attributes: {} },
        { op: "Gather", inputs: ["table", "index"], outputs: ["picked"], attributes: { axis: 0 } },
      ],
      constants: new Map<string, Tensor>([
        ["big", tensor([big])],
        ["minusTwo", tensor(-2n)],
        ["table", tensor([[0, 1], [10, 11], [20, 21]], { dtype: "float32" })],
      ]),
      opset: 17,
    };
    const x = BigInt64Array.from([0n, -5n, 2n ** 61n]);
    const out = await run(encodeOnnx(graph), {
      x: new ort.Tensor("int64", x, [3]),
      index: new ort.Tensor("int64", BigInt64Array.from([2n, -3n]), [2]),
    });
    expect(Array.from(out.y.data as BigInt64Array)).toEqual(Array.from(x, (v) => BigInt.asIntN(64, (v + big) * -2n)));
    expect(Array.from(out.picked.data as Float32Array)).toEqual([20, 21, 0, 1]);
  });

  it("bool constants, a Constant node and an omitted optional input", async () => {
    const graph: Graph = {
      name: "where",
      inputs: [{ name: "x", dtype: "float32", shape: [3] }],
      outputs: [{ name: "out", dtype: "float32", shape: [3] }],
      nodes: [
        { op: "Constant", inputs: [], outputs: ["fallback"], attributes: { value: tensor([-1, -2, -3], { dtype: "float32" }) }, name: "c" },
        { op: "Where", inputs: ["mask", "x", "fallback"], outputs: ["chosen"], attributes: {} },
        { op: "Clip", inputs: ["chosen", "", "high"], outputs: ["out"], attributes: {} },
      ],
      constants: new Map<string, Tensor>([
        ["mask", tensor([true, false, true])],
        ["high", tensor(5, { dtype: "float32" })],
      ]),
      opset: 17,
    };
    const out = await run(encodeOnnx(graph), { x: new ort.Tensor("float32", Float32Array.from([7, 8, -9]), [3]) });
    expect(Array.from(out.out.data as Float32Array)).toEqual([5, -2, -9]);
  });

  it("a GraphBuilder graph gives what curv's own evaluator gives", async () => {
    const b = new GraphBuilder("builder mlp");
    const x = b.input("x", "float64", ["batch", 3]);
    const w = b.constant("w", tensor([[0.5, -1, 2], [1.5, 0.25, -0.75]], { dtype: "float64" }));
    const bias = b.constant("b", tensor([0.1, -0.2], { dtype: "float64" }));
    const hidden = b.op("Relu", [b.op("Gemm", [x, w, bias], { alpha: 2, beta: 1, transB: 1 })]);
    const probabilities = b.op("Softmax", [hidden], { axis: -1 });
    b.output(probabilities, "p");
    b.output(b.op("ReduceMean", [hidden], { axes: [0], keepdims: 1 }), "mean");
    const graph = b.build();
    const feed = tensor([[0.3, -1.2, 0.8], [1, 2, 3], [-0.5, 0.25, 0]], { dtype: "float64" });
    const out = await run(encodeOnnx(graph), { x: new ort.Tensor("float64", feed.data as Float64Array, [3, 3]) });
    const reference = evaluateGraph(graph, { x: feed });
    for (const name of ["p", "mean"]) {
      expect(out[name].dims, name).toEqual(reference[name].shape);
      Array.from(out[name].data as Float64Array).forEach((v, i) => expect(Math.abs(v - (reference[name].data[i] as number))).toBeLessThan(1e-14));
    }
  });

  it("the PyTorch export, decoded and encoded again, computes PyTorch's outputs", async () => {
    const bytes = encodeOnnx(decodeOnnx(new Uint8Array(readFileSync(new URL("./testdata/mlp-mse.onnx", import.meta.url)))));
    // Batch 0 of mlp-mse.golden.json: data.batches[0].X and results.outputs[0] (PyTorch, float64).
    const x = [
      0.49625658988952637, 0.7682217955589294, 0.08847743272781372, 0.13203048706054688, 0.30742281675338745, 0.6340786814689636, 0.4900934100151062,
      0.8964447379112244, 0.455627977848053, 0.6323062777519226, 0.3488934636116028, 0.40171730518341064, 0.022325754165649414, 0.16885894536972046,
      0.2938884496688843, 0.518521785736084, 0.6976675987243652, 0.800011396408081, 0.16102945804595947, 0.28226858377456665, 0.6816085577011108,
      0.9151939749717712, 0.39709991216659546, 0.8741558790206909, 0.41940832138061523, 0.5529070496559143, 0.9527381062507629, 0.036164820194244385,
    ];
    const expected = [
      -0.20252646127176804, -0.5335937053628996, -0.3395291040121393, -0.23214022872861986, -0.5273872287077097, -0.3229910819367986,
      -0.1975091771035112, -0.5274663298538489, -0.3341070818241606, -0.21676297618096288, -0.5278435942964994, -0.33148012494469353,
    ];
    const out = await run(bytes, { input: new ort.Tensor("float32", Float32Array.from(x), [4, 7]) });
    expect(out.logits.dims).toEqual([4, 3]);
    Array.from(out.logits.data as Float32Array).forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-6));
  });

  it("reads every tensor storage form as decodeOnnx does", async () => {
    // Initializers written field by field in each typed field; Identity nodes
    // hand them to the outputs, so ORT is an independent reader to compare with.
    const forms: [string, number, number[], Parameters<typeof tensorBytes>[0]][] = [
      ["f32", 1, [2], { dims: [2], dataType: 1, floatData: [1.5, -2.25] }],
      ["f64", 11, [2], { dims: [2], dataType: 11, doubleData: [0.1, -1e300] }],
      ["i32", 6, [3], { dims: [3], dataType: 6, int32Data: [-7, 0, 2147483647] }],
      ["i64", 7, [2], { dims: [2], dataType: 7, int64Data: [-(2n ** 62n), 2n ** 40n + 1n] }],
      ["b", 9, [1, 2], { dims: [1, 2], dataType: 9, int32Data: [0, 1] }],
    ];
    const bytes = modelBytes({
      irVersion: 8,
      opsets: [["", 17]],
      graph: graphBytes({
        nodes: forms.map(([name]) => nodeBytes({ inputs: [name], outputs: [`${name}_out`], op: "Identity" })),
        initializers: forms.map(([name, , , t]) => tensorBytes({ ...t, name })),
        outputs: forms.map(([name, type, dims]) => valueInfoBytes(`${name}_out`, type, dims)),
      }),
    });
    const decoded = decodeOnnx(bytes);
    const out = await run(bytes, {});
    for (const [name] of forms) {
      const mine = decoded.constants.get(name)!;
      const theirs = out[`${name}_out`];
      expect(theirs.dims, name).toEqual(mine.shape);
      expect(Array.from(theirs.data as ArrayLike<number | bigint>, (v) => (typeof v === "boolean" ? Number(v) : v)), name).toEqual(
        Array.from(mine.data as ArrayLike<number | bigint>),
      );
    }
  });

  it(`loads opset ${MAX_ONNX_OPSET}, the newest curv accepts, and refuses opset ${MAX_ONNX_OPSET + 1}`, async () => {
    const relu = (opset: number) =>
      modelBytes({
        irVersion: 13,
        opsets: [["", opset]],
        graph: graphBytes({
          nodes: [nodeBytes({ inputs: ["x"], outputs: ["y"], op: "Relu" })],
          inputs: [valueInfoBytes("x", 1, [2])],
          outputs: [valueInfoBytes("y", 1, [2])],
        }),
      });
    const newest = encodeOnnx(decodeOnnx(relu(MAX_ONNX_OPSET)));
    const out = await run(newest, { x: new ort.Tensor("float32", Float32Array.from([-1, 2]), [2]) });
    expect(Array.from(out.y.data as Float32Array)).toEqual([0, 2]);
    await expect(ort.InferenceSession.create(relu(MAX_ONNX_OPSET + 1), quiet)).rejects.toThrow(/opset/i);
  });
});
