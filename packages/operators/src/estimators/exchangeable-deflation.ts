import { inv, matmul, qr, type Tensor } from "@curv/tensor";

// The linear algebra XTrace and XDiag share (Epperly, Tropp & Webber 2024,
// section 2.1): from the sketch Y = A W, an orthonormal basis Q and, for each
// probe i, a unit vector sᵢ such that Q (I − sᵢsᵢᵀ) spans the sketch without
// column i, so N leave-one-out estimates cost no extra products.

type Matrix = Tensor<"float64">;

/** `Q, R = qr(Y)` and `S = R⁻ᵀ` with unit columns. */
export function exchangeableDeflation(y: Matrix): { q: Matrix; s: Matrix } {
  const { q, r } = qr(y);
  const s = inv(r.transpose());
  const [rows, columns] = s.shape;
  for (let j = 0; j < columns; j++) {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += s.data[i * columns + j] ** 2;
    const scale = 1 / Math.sqrt(sum);
    for (let i = 0; i < rows; i++) s.data[i * columns + j] *= scale;
  }
  return { q, s };
}

/** Column i of `C` deflated by column i of `S`: `cᵢ − (sᵢᵀcᵢ) sᵢ`. */
export function deflateColumns(c: Matrix, s: Matrix): Matrix {
  const [rows, columns] = c.shape;
  const out = c.clone();
  for (let i = 0; i < columns; i++) {
    let dot = 0;
    for (let r = 0; r < rows; r++) dot += s.data[r * columns + i] * c.data[r * columns + i];
    for (let r = 0; r < rows; r++) out.data[r * columns + i] -= dot * s.data[r * columns + i];
  }
  return out;
}

/** `A − B`. */
export function subtract(a: Matrix, b: Matrix): Matrix {
  const out = a.clone();
  for (let i = 0; i < out.data.length; i++) out.data[i] -= b.data[i];
  return out;
}

/** `(I − QQᵀ) X` for orthonormal columns Q. */
export function projectOut(q: Matrix, x: Matrix): Matrix {
  return subtract(x, matmul(q, matmul(q.transpose(), x)));
}
