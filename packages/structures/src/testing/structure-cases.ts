import { BlockDiagonalStructure, Block30DiagonalMatrix, Block3DiagonalMatrix } from "../block-diagonal-matrix.js";
import { DenseMatrix } from "../dense-matrix.js";
import { DiagonalMatrix } from "../diagonal-matrix.js";
import { Hierarchical15_15Matrix, Hierarchical3_2Matrix, HierarchicalStructure } from "../hierarchical-structure.js";
import { RecursiveBottomLeftStructure, RecursiveTopRightStructure } from "../recursive-structure.js";
import {
  TrilBottomRightDiagonalMatrix, TrilTopLeftDiagonalMatrix, TriuBottomRightDiagonalMatrix, TriuTopLeftDiagonalMatrix,
} from "../sparse-triangular-structures.js";
import type { Structure } from "../structure.js";
import { TrilToeplitzMatrix } from "../tril-toeplitz-matrix.js";
import { TriuToeplitzMatrix } from "../triu-toeplitz-matrix.js";
import type { Dense } from "./dense-reference.js";
import {
  blockDiagonalRule, bottomLeftRule, denseRule, diagonalRule, hierarchicalRule, projectByRoles, projectTrilToeplitz,
  projectTriuToeplitz, topRightRule, trilBottomRightDiagonalRule, trilTopLeftDiagonalRule, triuBottomRightDiagonalRule,
  triuTopLeftDiagonalRule, type RoleRule,
} from "./reference-projections.js";

/** A structure under test and its dense reference projection. */
export interface StructureCase {
  structure: Structure;
  project: (s: Dense) => Dense;
}

const byRoles = (rule: RoleRule) => (s: Dense) => projectByRoles(s, rule);

/** A composition beyond SINGD's four: a block-diagonal A of at most 5 rows over a diagonal C. */
const blockOverDiagonal = new RecursiveTopRightStructure({
  structureName: "test-block3-over-diagonal",
  structureA: Block3DiagonalMatrix,
  structureC: DiagonalMatrix,
  maxDimA: 5,
});

/** A nested composition: a diagonal A beside a hierarchical C of at most 4 rows. */
const diagonalBesideHierarchical = new RecursiveBottomLeftStructure({
  structureName: "test-diagonal-beside-hierarchical1_1",
  structureA: DiagonalMatrix,
  structureC: new HierarchicalStructure(1, 1),
  maxDimC: 4,
});

/**
 * Every structure of SINGD, with block sizes and hierarchical limits that do
 * and do not divide the test dimensions, plus two recursive compositions.
 */
export const STRUCTURE_CASES: readonly StructureCase[] = [
  { structure: DenseMatrix, project: byRoles(denseRule) },
  { structure: DiagonalMatrix, project: byRoles(diagonalRule) },
  { structure: Block30DiagonalMatrix, project: byRoles(blockDiagonalRule(30)) },
  { structure: Block3DiagonalMatrix, project: byRoles(blockDiagonalRule(3)) },
  { structure: new BlockDiagonalStructure(4), project: byRoles(blockDiagonalRule(4)) },
  { structure: Hierarchical15_15Matrix, project: byRoles(hierarchicalRule(15, 15)) },
  { structure: Hierarchical3_2Matrix, project: byRoles(hierarchicalRule(3, 2)) },
  { structure: new HierarchicalStructure(2, 5), project: byRoles(hierarchicalRule(2, 5)) },
  { structure: TrilToeplitzMatrix, project: projectTrilToeplitz },
  { structure: TriuToeplitzMatrix, project: projectTriuToeplitz },
  { structure: TrilBottomRightDiagonalMatrix, project: byRoles(trilBottomRightDiagonalRule) },
  { structure: TrilTopLeftDiagonalMatrix, project: byRoles(trilTopLeftDiagonalRule) },
  { structure: TriuBottomRightDiagonalMatrix, project: byRoles(triuBottomRightDiagonalRule) },
  { structure: TriuTopLeftDiagonalMatrix, project: byRoles(triuTopLeftDiagonalRule) },
  {
    structure: blockOverDiagonal,
    project: byRoles(topRightRule((n) => Math.min(5, n), blockDiagonalRule(3), diagonalRule)),
  },
  {
    structure: diagonalBesideHierarchical,
    project: byRoles(bottomLeftRule((n) => Math.max(0, n - 4), diagonalRule, hierarchicalRule(1, 1))),
  },
];
