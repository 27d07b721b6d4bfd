/**
 * Convolution and pooling: Conv (groups, dilation, auto_pad), MaxPool,
 * AveragePool (with or without counting padding) and the global poolings,
 * all 2-D over NCHW inputs.
 */
import { Tensor } from "@curv/tensor";
import { avgPool2d, mean } from "../composites/index.js";
import { literal } from "../core/leaves.js";
import type { Value } from "../core/value.js";
import { add, conv2d, div, maxPool2d, mul, reduceMax, reshape } from "../primitives/index.js";
import { valueInput } from "./elementwise-operators.js";
import type { NodeContext } from "./node-context.js";
import type { OperatorMapping } from "./operator-mapping.js";
import { windowGeometry, type WindowGeometry } from "./window-geometry.js";

const conv: OperatorMapping = (inputs, node: NodeContext) => {
  const x = valueInput(inputs, 0, node);
  const weight = valueInput(inputs, 1, node);
  const [kh, kw] = weight.shape.slice(2);
  if (weight.rank !== 4 || typeof kh !== "number" || typeof kw !== "number") node.unsupported(`a convolution with weight ${weight} (only 2-D)`);
  const y = conv2d(x, weight, { ...windowGeometry(node, x, [kh, kw]), groups: node.int("group", 1) });
  return [inputs[2] === undefined ? y : add(y, reshape(valueInput(inputs, 2, node), [-1, 1, 1]))];
};

/** The kernel_shape attribute of a pooling node. */
function poolKernel(node: NodeContext): [number, number] {
  const kernel = node.ints("kernel_shape");
  if (kernel === undefined || kernel.length !== 2) node.unsupported(`pooling with kernel_shape ${JSON.stringify(kernel)} (only 2-D windows)`);
  return [kernel[0], kernel[1]];
}

const maxPool: OperatorMapping = (inputs, node: NodeContext) => {
  if ((node.node.outputs[1] ?? "") !== "") node.unsupported("MaxPool's Indices output");
  const x = valueInput(inputs, 0, node);
  const kernelSize = poolKernel(node);
  return [maxPool2d(x, { kernelSize, ...windowGeometry(node, x, kernelSize) })];
};

/**
 * How many input (not padding) entries each output window covers, `[1, 1, OH, OW]`:
 * the divisor of an average that does not count padding.
 */
function windowCounts(x: Value, kernel: readonly [number, number], { stride, padding }: WindowGeometry, outputExtents: readonly number[]): Tensor {
  const [h, w] = x.shape.slice(2) as number[];
  const [oh, ow] = outputExtents;
  const covered = (start: number, k: number, extent: number) => Math.min(start + k, extent) - Math.max(start, 0);
  const counts = new Tensor(x.dtype, [1, 1, oh, ow]);
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      counts.data[i * ow + j] = covered(i * stride[0] - padding[0], kernel[0], h) * covered(j * stride[1] - padding[1], kernel[1], w);
    }
  }
  return counts;
}

const averagePool: OperatorMapping = (inputs, node: NodeContext) => {
  const x = valueInput(inputs, 0, node);
  const kernelSize = poolKernel(node);
  const geometry = windowGeometry(node, x, kernelSize);
  if (node.ints("dilations")?.some((d) => d !== 1)) node.unsupported("AveragePool with dilations");
  const pooled = avgPool2d(x, { kernelSize, stride: geometry.stride, padding: geometry.padding });
  const padded = geometry.padding.some((p) => p !== 0);
  if (!padded || node.int("count_include_pad", 0) !== 0) return [pooled];
  // ONNX's default divides by the entries inside the input only (PyTorch's count_include_pad=False).
  const counts = windowCounts(x, kernelSize, geometry, pooled.shape.slice(2) as number[]);
  return [div(mul(pooled, kernelSize[0] * kernelSize[1]), literal(counts))];
};

/** The spatial axes (2, 3, ...) of an NC... input. */
function spatialAxes(x: Value): number[] {
  return Array.from({ length: x.rank - 2 }, (_, i) => i + 2);
}

export const WINDOW_OPERATORS: Readonly<Record<string, OperatorMapping>> = {
  Conv: conv,
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: (inputs, node: NodeContext) => {
    const x = valueInput(inputs, 0, node);
    return [mean(x, spatialAxes(x), true)];
  },
  GlobalMaxPool: (inputs, node: NodeContext) => {
    const x = valueInput(inputs, 0, node);
    return [reduceMax(x, spatialAxes(x), true)];
  },
};
