/**
 * Small models and data sets for the KFAC tests (float64, seeded), and the
 * diagonal blocks KFAC keeps of a matrix in parameter order.
 */
import { Linear, mean, Module, Sequential, transpose, type Value } from "@curv/autodiff";
import { Generator, sizeOf, type Tensor } from "@curv/tensor";
import { positions } from "./dense-ggn.js";

/** Averages over axis 1 (`[N, L, C]` to `[N, C]`): weight sharing followed by a reduction, where KFAC-reduce is exact. */
export class MeanOverPositions extends Module {
  readonly kind = "MeanOverPositions";
  forward(x: Value): Value {
    return mean(x, [1]);
  }
}

/** A Sequential of Linear layers without activations (a deep linear network). */
export function deepLinearNetwork(sizes: readonly number[], seed: number): Sequential {
  const generator = new Generator(seed);
  return new Sequential(...sizes.slice(1).map((out, i) => new Linear(sizes[i], out, { dtype: "float64", generator })));
}

/** Batches of standard-normal inputs `[N_b, ...inputShape]` with targets from `target(generator, N_b)`. */
export function randomBatches(sizes: readonly number[], inputShape: readonly number[], target: (g: Generator, n: number) => Tensor, seed: number): [Tensor, Tensor][] {
  const generator = new Generator(seed);
  return sizes.map((n) => [generator.normal([n, ...inputShape], { dtype: "float64" }), target(generator, n)]);
}

/**
 * The positions of KFAC's diagonal blocks in `model`'s parameter vector:
 * per layer (dotted names `<layer>.weight`, `<layer>.bias`), one group for
 * both (joint) or one each (separate).
 */
export function kfacGroups(model: Module, separateWeightAndBias: boolean): number[][] {
  const groups = new Map<string, number[][]>();
  let offset = 0;
  for (const [name, t] of model.namedParameters()) {
    const layer = name.includes(".") ? name.slice(0, name.lastIndexOf(".")) : "";
    const range = positions(offset, sizeOf(t.shape));
    offset += range.length;
    const list = groups.get(layer) ?? [];
    if (separateWeightAndBias || list.length === 0) list.push(range);
    else list[0].push(...range);
    groups.set(layer, list);
  }
  return [...groups.values()].flat();
}

/** Swaps axes 1 and 2 (`[N, L, C]` to `[N, C, L]`): cross-entropy's class axis is axis 1. */
export class ClassAxisFirst extends Module {
  readonly kind = "ClassAxisFirst";
  forward(x: Value): Value {
    return transpose(x, [0, 2, 1]);
  }
}
