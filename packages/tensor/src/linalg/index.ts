// Public API of src/linalg: every export is named here.
export { eigh, type EighOptions, type EighResult } from "./eigh.js";
export { cholesky, type CholeskyOptions } from "./cholesky.js";
export { choleskySolve, type CholeskySolveOptions } from "./cholesky-solve.js";
export { solveTriangular, type SolveTriangularOptions } from "./triangular-solve.js";
export { luFactor, luSolve, type LuFactorization } from "./lu.js";
export { solve } from "./solve.js";
export { inv } from "./inv.js";
export { det, slogdet, type SignAndLogDeterminant } from "./determinant.js";
export type { PromotedFloat } from "./matrix-input.js";
export type { Triangle } from "./symmetry.js";
export { qr, type QrOptions, type QrResult } from "./qr.js";
export { svd, type SvdOptions, type SvdResult } from "./svd.js";
export { pinv, type PinvOptions } from "./pinv.js";
