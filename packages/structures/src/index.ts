// @curv/structures: SINGD's structured matrices. Every export is named here.
export type { Structure } from "./structure.js";
export { StructuredMatrix, type NamedTensor } from "./structured-matrix.js";
export { DenseMatrix } from "./dense-matrix.js";
export { DiagonalMatrix } from "./diagonal-matrix.js";
export { BlockDiagonalMatrix, BlockDiagonalStructure, Block30DiagonalMatrix, Block3DiagonalMatrix } from "./block-diagonal-matrix.js";
export { HierarchicalMatrix, type HierarchicalParts } from "./hierarchical-matrix.js";
export {
  HierarchicalStructure, Hierarchical15_15Matrix, Hierarchical3_2Matrix, type HierarchicalBlockDims,
} from "./hierarchical-structure.js";
export { ToeplitzMatrix } from "./toeplitz-matrix.js";
export { TrilToeplitzMatrix } from "./tril-toeplitz-matrix.js";
export { TriuToeplitzMatrix } from "./triu-toeplitz-matrix.js";
export { RecursiveMatrix } from "./recursive-matrix.js";
export { RecursiveTopRightMatrix } from "./recursive-top-right-matrix.js";
export { RecursiveBottomLeftMatrix } from "./recursive-bottom-left-matrix.js";
export {
  RecursiveStructure, RecursiveTopRightStructure, RecursiveBottomLeftStructure, type RecursiveStructureOptions,
} from "./recursive-structure.js";
export {
  TrilBottomRightDiagonalMatrix, TrilTopLeftDiagonalMatrix, TriuBottomRightDiagonalMatrix, TriuTopLeftDiagonalMatrix,
} from "./sparse-triangular-structures.js";
export { SUPPORTED_STRUCTURES, structureFromName, type SupportedStructureName } from "./structure-registry.js";
