// @curv/pspace: NNGeometry's parameter-space and function-space objects. Every export is named here.

// Layers and vectors
export { LayerCollection, type LayerDescriptor, type LayerKind } from "./layers/layer-collection.js";
export { PVector, type LayerParts } from "./vector/pvector.js";
export { FVector } from "./map/fvector.js";
export { PFMapDense } from "./map/pfmap-dense.js";

// Parameter-space matrix representations
export { PMatAbstract, type BlockSolver, type MapReduction, type MatrixNorm, type SolveMethod, type SolveOptions } from "./pmat/pmat-abstract.js";
export { PMatDense } from "./pmat/pmat-dense.js";
export { PMatDiag } from "./pmat/pmat-diag.js";
export { PMatBlockDiag } from "./pmat/pmat-block-diag.js";
export { PMatKFAC } from "./pmat/pmat-kfac.js";
export { PMatEKFAC, type KroneckerEigenbasis } from "./pmat/pmat-ekfac.js";
export { PMatLowRank } from "./pmat/pmat-low-rank.js";
export { PMatQuasiDiag, type QuasiDiagLayer } from "./pmat/pmat-quasi-diag.js";
export { PMatEye } from "./pmat/pmat-eye.js";
export { DEFAULT_MAX_DENSE_BYTES } from "./pmat/dense-size.js";

// Helpers
export type { FisherSource, KroneckerFactors, RunOptions } from "./helpers/fisher-source.js";
export { FIM, FIMMonteCarlo, type FIMMonteCarloOptions, type FIMOptions, type FIMVariant, type PMatRepresentation } from "./helpers/fim.js";
export { Jacobian, GramMatrix, type JacobianOptions } from "./helpers/jacobian.js";
export { Hessian, type HessianOptions } from "./helpers/hessian.js";
export { PMatImplicit, type ConjugateGradientOptions } from "./pmat/pmat-implicit.js";
export { PMatMixed, PMatEKFACBlockDiag, type LayerMapping, type MixedPart } from "./pmat/pmat-mixed.js";
export { PFMapImplicit } from "./map/pfmap-implicit.js";
export { FMatDense } from "./map/fmat-dense.js";
