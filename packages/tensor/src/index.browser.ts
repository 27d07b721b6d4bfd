// @curv/tensor for browsers: the same API; the `ort-web` runtime uses onnxruntime-web.
export * from "./common.js";
