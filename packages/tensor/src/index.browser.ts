// @curv/tensor for browsers: the same API; the `ort-web` runtime uses onnxruntime-web.
export * from "./common.js";
export { browserPlatform, compile } from "./runtime/compile-browser.js";
export { ortWebBackend } from "./runtime/backends/ort-web-backend.js";
