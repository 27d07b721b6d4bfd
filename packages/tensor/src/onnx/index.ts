// Public API of src/onnx: every export is named here.
export {};
