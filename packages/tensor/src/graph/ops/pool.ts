/** Pooling over two spatial axes (NCHW): MaxPool, AveragePool, GlobalAveragePool. */
import { add, avgPool2d, globalAvgPool2d, maxPool2d } from "../../kernels/index.js";
import { arange, type Tensor } from "../../tensor.js";
import type { Dim, ValueType } from "../ir.js";
import { attributeError, type AttributeReader } from "./attributes.js";
import { defineOperator } from "./define-operator.js";
import { FLOAT_DTYPES, type OperatorDefinition } from "./operator.js";
import { explicitPads, readWindow, requireNchw, sweepExtent, WINDOW_ATTRIBUTES, type Window2d } from "./spatial-window.js";

type FloatTensor = Tensor<"float32" | "float64">;

function pooledShape(x: readonly Dim[], window: Window2d, ceilMode: boolean): Dim[] {
  requireNchw(x, 'input 0 ("X")');
  return [x[0], x[1], sweepExtent(window, x[2], 0, ceilMode), sweepExtent(window, x[3], 1, ceilMode)];
}

/** The kernels' options from the attributes; ONNX's stride defaults to 1 (the kernels default to the window). */
function kernelOptions(x: Tensor, window: Window2d, attributes: AttributeReader) {
  return {
    kernelSize: window.kernel,
    stride: window.strides,
    padding: explicitPads(window, [x.shape[2], x.shape[3]]),
    ceilMode: attributes.int("ceil_mode") !== 0,
  };
}

function readPoolWindow(attributes: AttributeReader): Window2d {
  if (attributes.int("storage_order", 0) !== 0) throw attributeError("storage_order", "= 1 (column-major indices) is not supported");
  return readWindow(attributes);
}

/**
 * The kernel numbers indices within each `(n, c)` plane, as PyTorch does;
 * ONNX numbers them across the whole tensor, so each plane's offset is added.
 */
function onnxIndices(planeIndices: Tensor<"int64">, x: Tensor): Tensor {
  const [batch, channels, height, width] = x.shape;
  const planeSize = height * width;
  const offsets = arange(0, batch * channels * planeSize, planeSize, "int64").reshape([batch, channels, 1, 1]);
  return add(planeIndices, offsets);
}

const MAX_POOL = defineOperator({
  name: "MaxPool",
  inputs: [{ name: "X", type: "T" }],
  outputCount: { min: 1, max: 2 },
  typeConstraints: { T: FLOAT_DTYPES },
  attributes: {
    ...WINDOW_ATTRIBUTES,
    kernel_shape: { kind: "ints", required: true },
    dilations: { kind: "ints" },
    ceil_mode: { kind: "int", default: 0 },
    storage_order: { kind: "int", default: 0 },
  },
  inferTypes([x], attributes) {
    const shape = pooledShape(x!.shape, readPoolWindow(attributes), attributes.int("ceil_mode") !== 0);
    return [{ dtype: x!.dtype, shape }, { dtype: "int64", shape }] as ValueType[];
  },
  evaluate([x], attributes, outputCount) {
    const window = readPoolWindow(attributes);
    const { values, indices } = maxPool2d(x as FloatTensor, { ...kernelOptions(x!, window, attributes), dilation: window.dilations });
    return outputCount === 1 ? [values] : [values, onnxIndices(indices, x!)];
  },
});

const AVERAGE_POOL = defineOperator({
  name: "AveragePool",
  inputs: [{ name: "X", type: "T" }],
  typeConstraints: { T: FLOAT_DTYPES },
  // Opset 17's AveragePool has no dilations (they arrived in opset 19).
  attributes: {
    ...WINDOW_ATTRIBUTES,
    kernel_shape: { kind: "ints", required: true },
    ceil_mode: { kind: "int", default: 0 },
    count_include_pad: { kind: "int", default: 0 },
  },
  inferTypes: ([x], attributes) => [{ dtype: x!.dtype, shape: pooledShape(x!.shape, readWindow(attributes), attributes.int("ceil_mode") !== 0) }],
  evaluate: ([x], attributes) => [
    avgPool2d(x as FloatTensor, { ...kernelOptions(x!, readWindow(attributes), attributes), countIncludePad: attributes.int("count_include_pad") !== 0 }),
  ],
});

const GLOBAL_AVERAGE_POOL = defineOperator({
  name: "GlobalAveragePool",
  inputs: [{ name: "X", type: "T" }],
  typeConstraints: { T: FLOAT_DTYPES },
  inferTypes([x]) {
    requireNchw(x!.shape, 'input 0 ("X")');
    return [{ dtype: x!.dtype, shape: [x!.shape[0], x!.shape[1], 1, 1] }];
  },
  evaluate: ([x]) => [globalAvgPool2d(x as FloatTensor)],
});

/** MaxPool, AveragePool and GlobalAveragePool. */
export const POOL_OPERATORS: readonly OperatorDefinition[] = [MAX_POOL, AVERAGE_POOL, GLOBAL_AVERAGE_POOL];
