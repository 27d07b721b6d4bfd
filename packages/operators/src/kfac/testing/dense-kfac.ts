/**
 * KFAC assembled densely from its factors, for checking inverses and exact
 * reductions: `kron(G + δ_G I, A + δ_A I)` for each layer's row-major
 * `[W | b]` (or separate weight and bias blocks), placed in parameter order.
 */
import type { Module } from "@curv/autodiff";
import { Tensor, sizeOf, type FloatDType } from "@curv/tensor";
import type { KFACLayerFactors } from "../kronecker-factors.js";

/** `m + δ I` as nested arrays. */
function damped(m: Tensor<FloatDType>, delta: number): number[][] {
  const n = m.shape[0];
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (m.data[i * n + j] as number) + (i === j ? delta : 0)));
}

/**
 * The dense KFAC over every parameter of `model` (`namedParameters()` order),
 * with `dampings(layer)` = `[δ_G, δ_A]` added to the factors (a bias block:
 * `G + δ_bias I` with `δ_bias` from `biasDamping`).
 */
export function denseKFAC(
  model: Module, factors: Readonly<Record<string, KFACLayerFactors>>, separate: boolean,
  dampings: (f: KFACLayerFactors) => [number, number] = () => [0, 0], biasDamping = 0,
): Tensor<"float64"> {
  const offsets = new Map<string, number>();
  let total = 0;
  for (const [name, t] of model.namedParameters()) {
    offsets.set(name, total);
    total += sizeOf(t.shape);
  }
  const out = new Tensor("float64", [total, total]);
  for (const f of Object.values(factors)) {
    const g = damped(f.gradientCovariance, dampings(f)[0]);
    const rows = g.length;
    if (f.weight !== undefined) {
      const a = damped(f.inputCovariance!, dampings(f)[1]);
      const joint = f.bias !== undefined && !separate;
      const columns = joint ? a.length - 1 : a.length;
      const at = (i: number, j: number) => (j < columns ? offsets.get(f.weight!)! + i * columns + j : offsets.get(f.bias!)! + i);
      for (let i = 0; i < rows; i++) for (let j = 0; j < a.length; j++) for (let k = 0; k < rows; k++) for (let l = 0; l < a.length; l++) {
        out.data[at(i, j) * total + at(k, l)] = g[i][k] * a[j][l];
      }
      if (joint) continue;
    }
    if (f.bias !== undefined) {
      const b = offsets.get(f.bias)!;
      const gb = damped(f.gradientCovariance, biasDamping);
      for (let i = 0; i < rows; i++) for (let k = 0; k < rows; k++) out.data[(b + i) * total + b + k] = gb[i][k];
    }
  }
  return out;
}

/** `m + δ I`. */
export function plusIdentity(m: Tensor<"float64">, delta: number): Tensor<"float64"> {
  const out = m.clone();
  const n = m.shape[0];
  for (let i = 0; i < n; i++) out.data[i * n + i] += delta;
  return out;
}
