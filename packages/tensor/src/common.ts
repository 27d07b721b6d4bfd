// Everything @curv/tensor exports on every platform. Each area names its own
// exports in its index.ts.
export * from "./errors.js";
export * from "./dtype.js";
export * from "./shape.js";
export * from "./tensor.js";
export * from "./random.js";
export * from "./kernels/index.js";
export * from "./linalg/index.js";
export * from "./graph/index.js";
export * from "./onnx/index.js";
export * from "./runtime/index.js";
export { formatBytes } from "./files/format-bytes.js";
