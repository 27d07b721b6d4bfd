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

// Curvature operators in parameter space (curvlinops section 1.1, except KFAC/EKFAC) and their data loop.
export { HessianLinearOperator } from "./curvature/hessian-linear-operator.js";
export { GGNLinearOperator, type GGNOptions } from "./curvature/ggn-linear-operator.js";
export { EFLinearOperator } from "./curvature/ef-linear-operator.js";
export { GGNDiagonalLinearOperator, ggnSquareRootRows } from "./curvature/ggn-diagonal-linear-operator.js";
export { JacobianLinearOperator } from "./curvature/jacobian-linear-operator.js";
export { TransposedJacobianLinearOperator } from "./curvature/transposed-jacobian-linear-operator.js";
export { CurvatureLinearOperator, type GradientAndLoss } from "./curvature/curvature-linear-operator.js";
export { DEFAULT_SEED, type CurvatureOptions } from "./curvature/curvature-options.js";
export { NondeterministicModelError } from "./curvature/nondeterministic-model-error.js";
export { ClassLabelError, NonFiniteValueError } from "./curvature/data-checks.js";
export {
  SequentialDataLoop, type DataBatch, type DataLoop, type DataSource, type IndexedBatch, type SequentialDataLoopOptions,
} from "./curvature/data-loop.js";

// KFAC and EKFAC (curvlinops' KFACLinearOperator and EKFACLinearOperator): Kronecker factors from layer taps.
export { KFACLinearOperator, type KFACInverseOptions } from "./kfac/kfac-linear-operator.js";
export { EKFACLinearOperator, type EKFACLayerEigendecomposition, type EKFACOptions } from "./kfac/ekfac-linear-operator.js";
export { KroneckerFactoredLinearOperator } from "./kfac/kronecker-factored-linear-operator.js";
export type { FisherType, KFACApproximation, KFACOptions, ResolvedKFACOptions } from "./kfac/kfac-options.js";
export type { KFACLayerFactors } from "./kfac/kronecker-factors.js";
export { UnsupportedLayerError, type KFACLayer, type KFACLayerKind } from "./kfac/kfac-layers.js";

// Algorithms on any square operator (curvlinops sections 1.2, 1.4-1.6): inverses, randomized estimators,
// eigensolvers (what curvlinops leaves to SciPy) and Lanczos spectral densities.
export type { MatrixLike } from "./algorithm-inputs.js";
export {
  CGInverseLinearOperator, type CGColumnStatus, type CGOptions, type CGSolveRecord,
} from "./inverses/cg-inverse-linear-operator.js";
export { NeumannInverseLinearOperator, type NeumannOptions } from "./inverses/neumann-inverse-linear-operator.js";
export {
  LSMRInverseLinearOperator, type LSMRColumnRecord, type LSMROptions, type LSMRStop,
} from "./inverses/lsmr-inverse-linear-operator.js";
export { hutchinsonTrace, hutchppTrace, xtrace } from "./estimators/trace-estimators.js";
export { hutchinsonDiag, xdiag } from "./estimators/diagonal-estimators.js";
export { hutchinsonSquaredFrobenius } from "./estimators/frobenius-estimator.js";
export type { EstimatorOptions, ProbeDistribution } from "./estimators/probes.js";
export { eigsh, type EigshOptions, type EigshResult, type EigshWhich } from "./eigensolvers/eigsh.js";
export { powerIteration, type PowerIterationOptions, type PowerIterationResult } from "./eigensolvers/power-iteration.js";
export {
  LanczosApproximateLogSpectrumCached, LanczosApproximateSpectrumCached, lanczosApproximateLogSpectrum, lanczosApproximateSpectrum,
  type DensityOptions, type LogSpectrumOptions, type SpectralDensity, type SpectrumOptions,
} from "./spectra/lanczos-spectrum.js";
export type { SpectrumBoundaries } from "./spectra/spectrum-boundaries.js";
// Layer taps in the weight-sharing format, shared with optimizers built on KFAC's machinery (@curv/singd).
export { findKFACLayers } from "./kfac/kfac-layers.js";
export { convolutionGeometry, type ConvolutionGeometry } from "./kfac/convolution-geometry.js";
export {
  inputInSharingFormat, outputGradientInSharingFormat, secondMoment, sharedPositions, type LayerMap,
} from "./kfac/weight-sharing-format.js";
