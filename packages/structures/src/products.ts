import { gemm, type FloatDType, type Tensor } from "@curv/tensor";

// Products with a transposed factor, on @curv/tensor's gemm: the strides read
// the factor transposed, so no transposed copy is made.

/** `alpha · aᵀ b`. */
export function transposeTimes<D extends FloatDType>(a: Tensor<D>, b: Tensor<D>, alpha = 1): Tensor<D> {
  return gemm(a, b, undefined, { transA: true, alpha });
}

/** `alpha · a bᵀ`. */
export function timesTranspose<D extends FloatDType>(a: Tensor<D>, b: Tensor<D>, alpha = 1): Tensor<D> {
  return gemm(a, b, undefined, { transB: true, alpha });
}
