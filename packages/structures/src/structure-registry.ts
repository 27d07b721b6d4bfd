import { ValueError } from "@curv/tensor";
import { Block30DiagonalMatrix, BlockDiagonalStructure } from "./block-diagonal-matrix.js";
import { DenseMatrix } from "./dense-matrix.js";
import { DiagonalMatrix } from "./diagonal-matrix.js";
import { Hierarchical15_15Matrix, HierarchicalStructure } from "./hierarchical-structure.js";
import {
  TrilBottomRightDiagonalMatrix, TrilTopLeftDiagonalMatrix, TriuBottomRightDiagonalMatrix, TriuTopLeftDiagonalMatrix,
} from "./sparse-triangular-structures.js";
import type { Structure } from "./structure.js";
import { TrilToeplitzMatrix } from "./tril-toeplitz-matrix.js";
import { TriuToeplitzMatrix } from "./triu-toeplitz-matrix.js";

/**
 * The structures SINGD's `structures` argument accepts, by name, in SINGD's
 * order (`SINGD.SUPPORTED_STRUCTURES`).
 *
 * @example
 * ```ts
 * Object.keys(SUPPORTED_STRUCTURES);
 * // ["dense", "diagonal", "block30diagonal", "hierarchical15_15", "triltoeplitz", "triutoeplitz"]
 * SUPPORTED_STRUCTURES.diagonal.eye(3).trace(); // 3
 * ```
 */
export const SUPPORTED_STRUCTURES = Object.freeze({
  dense: DenseMatrix,
  diagonal: DiagonalMatrix,
  block30diagonal: Block30DiagonalMatrix,
  hierarchical15_15: Hierarchical15_15Matrix,
  triltoeplitz: TrilToeplitzMatrix,
  triutoeplitz: TriuToeplitzMatrix,
} as const satisfies Record<string, Structure>);

/** A key of {@link SUPPORTED_STRUCTURES}. */
export type SupportedStructureName = keyof typeof SUPPORTED_STRUCTURES;

/** Structures outside SINGD's registry that its code defines and curv accepts by name too. */
const SPARSE_TRIANGULAR: readonly Structure[] = [
  TrilBottomRightDiagonalMatrix, TrilTopLeftDiagonalMatrix, TriuBottomRightDiagonalMatrix, TriuTopLeftDiagonalMatrix,
];

// A number without leading zeros, so that each structure has exactly one name.
const NUMBER = "(0|[1-9][0-9]*)";
const BLOCK_DIAGONAL = new RegExp(`^block${NUMBER}diagonal$`);
const HIERARCHICAL = new RegExp(`^hierarchical${NUMBER}_${NUMBER}$`);

/**
 * The structure called `name`: a key of {@link SUPPORTED_STRUCTURES}, any
 * `block{N}diagonal` (N ≥ 1), any `hierarchical{K1}_{K2}`, or one of the
 * sparse triangular structures (`trilbottomrightdiagonal`, ...).
 *
 * @throws ValueError for any other name; the message lists the known ones.
 * @example
 * ```ts
 * structureFromName("block7diagonal").fromDense(s);  // blocks of size 7
 * structureFromName("hierarchical3_2").structureName; // "hierarchical3_2"
 * ```
 */
export function structureFromName(name: string): Structure {
  if (typeof name !== "string") throw new ValueError(`structureFromName: expected a structure name (a string), got ${String(name)}`);
  if (Object.hasOwn(SUPPORTED_STRUCTURES, name)) return SUPPORTED_STRUCTURES[name as SupportedStructureName];
  const block = BLOCK_DIAGONAL.exec(name);
  if (block !== null && Number(block[1]) >= 1) return new BlockDiagonalStructure(Number(block[1]));
  const hierarchical = HIERARCHICAL.exec(name);
  if (hierarchical !== null) return new HierarchicalStructure(Number(hierarchical[1]), Number(hierarchical[2]));
  const triangular = SPARSE_TRIANGULAR.find((s) => s.structureName === name);
  if (triangular !== undefined) return triangular;
  const known = [...Object.keys(SUPPORTED_STRUCTURES), "block{N}diagonal (N ≥ 1)", "hierarchical{K1}_{K2}", ...SPARSE_TRIANGULAR.map((s) => s.structureName)];
  throw new ValueError(`structureFromName: unknown structure ${JSON.stringify(name)}; known: ${known.join(", ")}`);
}
