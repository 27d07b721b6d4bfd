import { structureFromName } from "@curv/structures";
import type { Tensor } from "@curv/tensor";

/** A matrix and its name, as the tour shows them side by side. */
export interface NamedMatrix {
  readonly name: string;
  readonly matrix: Tensor<"float64">;
}

/**
 * The matrix itself (named `"original"`) followed by its projection onto each
 * named structure, back in dense form: SINGD's `from_dense(dense).to_dense()`.
 */
export function structureApproximations(dense: Tensor<"float64">, names: readonly string[]): NamedMatrix[] {
  return [
    { name: "original", matrix: dense },
    ...names.map((name) => ({ name, matrix: structureFromName(name).fromDense(dense).toDense() })),
  ];
}

/** Python's `str.capitalize`: first character upper case, the rest lower case, as the seed's titles use it. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase();
}
