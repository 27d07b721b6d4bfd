// The float64 lowering pass for ONNX Runtime's CPU provider.
export { lowerForOrt, needsFloat64Lowering } from "./lower-for-ort.js";
export { prepareForOrt } from "./prepare-for-ort.js";
export { FLOAT64_CPU_LOWERINGS } from "./float64-cpu-lowerings.js";
