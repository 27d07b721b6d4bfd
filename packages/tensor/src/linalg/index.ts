// Public API of src/linalg: every export is named here.
export { eigh, type EighOptions, type EighResult } from "./eigh.js";
export type { Triangle } from "./symmetry.js";
export { cholesky, type CholeskyOptions } from "./cholesky.js";
