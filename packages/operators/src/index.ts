// @curv/operators: linear operators for curvature. Every export is named here.
export {
  LinearOperator, ProductLinearOperator, ScaledLinearOperator, SumLinearOperator, type LinearOperatorSpaces,
} from "./linear-operator.js";
export type { Operand } from "./operand-format.js";
export type { ToDenseOptions } from "./to-dense.js";
export {
  createProgressBar, type ProgressBar, type ProgressBarOptions, type ProgressOptions, type ProgressStream,
} from "./progress.js";
export { isInvertible, type InvertibleLinearOperator } from "./damped-inverse.js";
export { DiagonalLinearOperator } from "./diagonal-linear-operator.js";
export { IdentityLinearOperator } from "./identity-linear-operator.js";
export { DenseLinearOperator, type DenseLinearOperatorOptions } from "./dense-linear-operator.js";
export { EigendecomposedLinearOperator, type Eigenvectors } from "./eigendecomposed-linear-operator.js";
export { KroneckerProductLinearOperator } from "./kronecker-product-linear-operator.js";
export type { KroneckerDamping, KroneckerInverseOptions } from "./kronecker-damping.js";
export { BlockDiagonalLinearOperator } from "./block-diagonal-linear-operator.js";
export { SubmatrixLinearOperator } from "./submatrix-linear-operator.js";
