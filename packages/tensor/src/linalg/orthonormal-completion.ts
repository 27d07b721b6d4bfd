import { formQ, householderQr } from "./qr.js";

/**
 * Fills the columns of the `rows x cols` row-major `u` not marked in `known`
 * with unit vectors orthogonal to the known columns and to each other, so
 * that `u` has orthonormal columns. The known columns must be orthonormal.
 *
 * The complete QR factorization of the known columns, `[U_known] = Q R`,
 * gives them as `Q`'s first columns (up to sign), and `Q`'s remaining columns
 * are an orthonormal basis of their complement (Golub & Van Loan, 4th ed.,
 * section 5.2.1). This is how a zero singular value gets its singular vector.
 */
export function completeOrthonormalColumns(u: Float64Array, rows: number, cols: number, known: readonly boolean[]): void {
  const knownColumns = known.flatMap((isKnown, j) => (isKnown ? [j] : []));
  const unknownColumns = known.flatMap((isKnown, j) => (isKnown ? [] : [j]));
  if (unknownColumns.length === 0) return;
  const r = knownColumns.length;
  const basis = new Float64Array(rows * r);
  for (let i = 0; i < rows; i++) knownColumns.forEach((j, c) => (basis[i * r + c] = u[i * cols + j]));
  const { taus } = householderQr(basis, rows, r);
  const q = formQ(basis, rows, r, taus, rows);
  unknownColumns.forEach((j, c) => {
    for (let i = 0; i < rows; i++) u[i * cols + j] = q[i * rows + r + c];
  });
}
