// @curv/tensor for Node. The ORT runtime here uses onnxruntime-node; the
// browser entry (index.browser.ts) uses onnxruntime-web instead.
export * from "./common.js";
export { compile, nodePlatform } from "./runtime/compile-node.js";
export { ortNodeBackend } from "./runtime/backends/ort-node-backend.js";
export * from "./files/index.js";
