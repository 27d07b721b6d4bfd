import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import { allocate, assertDType, type FloatDType } from "./dtype.js";
import { ShapeError, ValueError } from "./errors.js";
import { assertShape, sizeOf } from "./shape.js";
import { Tensor } from "./tensor.js";

/** Options of {@link Generator.uniform}. */
export interface UniformOptions<D extends FloatDType = FloatDType> {
  low?: number;
  high?: number;
  dtype?: D;
}

/** Options of {@link Generator.normal}. */
export interface NormalOptions<D extends FloatDType = FloatDType> {
  mean?: number;
  std?: number;
  dtype?: D;
}

/**
 * A seeded pseudo-random generator (xoroshiro128+ from the `pure-rand`
 * library). Draws happen on the host and are fed to graphs as inputs, so one
 * seed gives the same numbers on every runtime. Every draw advances the state.
 *
 * Corresponds to `torch.Generator` in role (not in bit-exact output).
 *
 * @example
 * ```ts
 * const g = new Generator(0);
 * const x = g.normal([2, 3], { dtype: "float64" });
 * const v = g.rademacher([5]);                  // entries ±1
 * const y = g.categorical(tensor([[0.2, 0.8]])); // int64, shape [1]
 * new Generator(0).normal([2, 3], { dtype: "float64" }).toArray(); // same as x
 * ```
 */
export class Generator {
  readonly seed: number;
  private rng: ReturnType<typeof xoroshiro128plusFromState>;
  /** A second normal from the last Box-Muller pair, kept so no draw is wasted. */
  private spareNormal: number | undefined;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new ValueError(`Generator: seed must be a safe integer, got ${seed}`);
    this.seed = seed;
    this.rng = xoroshiro128plusFromState(seedState(seed));
  }

  /** An independent copy in the same state. */
  clone(): Generator {
    const copy = new Generator(this.seed);
    copy.rng = this.rng.clone() as ReturnType<typeof xoroshiro128plusFromState>;
    copy.spareNormal = this.spareNormal;
    return copy;
  }

  /**
   * A new generator whose stream does not overlap this one's (2^64 draws
   * ahead, via xoroshiro's jump), for independent simulations.
   */
  split(): Generator {
    const child = this.clone();
    child.spareNormal = undefined;
    child.rng.jump();
    // Move this generator past the child's start too, so repeated splits differ.
    this.rng.jump();
    this.rng.jump();
    return child;
  }

  /** One uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    return uniformFloat64(this.rng);
  }

  /** Uniform values in `[low, high)`. */
  uniform<D extends FloatDType = "float32">(shape: readonly number[], { low = 0, high = 1, dtype = "float32" as D }: UniformOptions<D> = {}): Tensor<D> {
    checkShape(shape, "uniform");
    if (!(high > low) || !Number.isFinite(low) || !Number.isFinite(high)) {
      throw new ValueError(`uniform: need finite low < high, got low=${low}, high=${high}`);
    }
    const out = new Tensor(dtype, shape);
    const data = out.data as Float32Array | Float64Array;
    for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * this.nextDouble();
    return out;
  }

  /** Normal values with the given mean and standard deviation (Box-Muller). */
  normal<D extends FloatDType = "float32">(shape: readonly number[], { mean = 0, std = 1, dtype = "float32" as D }: NormalOptions<D> = {}): Tensor<D> {
    checkShape(shape, "normal");
    if (!(std >= 0) || !Number.isFinite(mean) || !Number.isFinite(std)) {
      throw new ValueError(`normal: need finite mean and std >= 0, got mean=${mean}, std=${std}`);
    }
    const out = new Tensor(dtype, shape);
    const data = out.data as Float32Array | Float64Array;
    for (let i = 0; i < data.length; i++) data[i] = mean + std * this.nextNormal();
    return out;
  }

  /** Uniform integers in `[low, high)`. */
  integers<D extends "int32" | "int64" = "int32">(low: number, high: number, shape: readonly number[], dtype: D = "int32" as D): Tensor<D> {
    checkShape(shape, "integers");
    assertDType(dtype, ["int32", "int64"], "integers");
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low) {
      throw new ValueError(`integers: need integers low < high, got low=${low}, high=${high}`);
    }
    if (dtype === "int32" && (low < -(2 ** 31) || high > 2 ** 31)) {
      throw new ValueError(`integers: range [${low}, ${high}) does not fit int32`);
    }
    const out = new Tensor(dtype, shape);
    const n = out.size;
    if (dtype === "int64") {
      const data = out.data as BigInt64Array;
      for (let i = 0; i < n; i++) data[i] = BigInt(uniformInt(this.rng, low, high - 1));
    } else {
      const data = out.data as Int32Array;
      for (let i = 0; i < n; i++) data[i] = uniformInt(this.rng, low, high - 1);
    }
    return out;
  }

  /** Rademacher values: +1 or -1 with equal probability. */
  rademacher<D extends FloatDType | "int32" = "float32">(shape: readonly number[], dtype: D = "float32" as D): Tensor<D> {
    checkShape(shape, "rademacher");
    assertDType(dtype, ["float32", "float64", "int32"], "rademacher");
    const out = new Tensor(dtype, shape);
    const data = out.data as Float32Array | Float64Array | Int32Array;
    for (let i = 0; i < data.length; i++) data[i] = uniformInt(this.rng, 0, 1) === 0 ? -1 : 1;
    return out;
  }

  /**
   * Samples class indices from probabilities along the last axis: for `probs`
   * of shape `[..., K]` returns int64 indices of shape `[...]`, or
   * `[..., numSamples]` when `numSamples` is given. Rows need not be
   * normalized but must be non-negative with a positive sum.
   */
  categorical(probs: Tensor, { numSamples }: { numSamples?: number } = {}): Tensor<"int64"> {
    assertDType(probs.dtype, ["float32", "float64"], "categorical: probs");
    if (probs.ndim < 1 || probs.shape[probs.ndim - 1] === 0) {
      throw new ShapeError(`categorical: probs needs a non-empty last axis, got shape [${probs.shape.join(", ")}]`);
    }
    if (numSamples !== undefined && (!Number.isInteger(numSamples) || numSamples < 1)) {
      throw new ValueError(`categorical: numSamples must be a positive integer, got ${numSamples}`);
    }
    const k = probs.shape[probs.ndim - 1];
    const rows = probs.size / k;
    const draws = numSamples ?? 1;
    const p = probs.data as Float32Array | Float64Array;
    const cumulative = new Float64Array(k);
    const out = allocate("int64", rows * draws);
    for (let r = 0; r < rows; r++) {
      let total = 0;
      for (let j = 0; j < k; j++) {
        const v = p[r * k + j];
        if (!(v >= 0) || !Number.isFinite(v)) throw new ValueError(`categorical: probability ${v} at row ${r}, class ${j} is not a finite non-negative number`);
        total += v;
        cumulative[j] = total;
      }
      if (!(total > 0)) throw new ValueError(`categorical: row ${r} of probs sums to ${total}; expected a positive sum`);
      for (let s = 0; s < draws; s++) {
        const u = this.nextDouble() * total;
        // Binary search for the first class whose cumulative mass exceeds u.
        let lo = 0;
        let hi = k - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cumulative[mid] > u) hi = mid;
          else lo = mid + 1;
        }
        out[r * draws + s] = BigInt(lo);
      }
    }
    const shape = probs.shape.slice(0, -1);
    return new Tensor("int64", numSamples === undefined ? shape : [...shape, draws], out);
  }

  private nextNormal(): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return z;
    }
    // Box-Muller on (0, 1]: 1 - u avoids log(0).
    const u1 = 1 - this.nextDouble();
    const u2 = this.nextDouble();
    const radius = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = radius * Math.sin(2 * Math.PI * u2);
    return radius * Math.cos(2 * Math.PI * u2);
  }
}

/**
 * The 128-bit xoroshiro state for a seed: four words of a splitmix32 stream
 * started from both halves of the seed. Seeding xoroshiro with the raw seed
 * (as `xoroshiro128plus(seed)` does) leaves the first draws of nearby seeds
 * almost equal (all close to 1 for seeds 0, 1, 2); mixing fixes that.
 */
function seedState(seed: number): number[] {
  let x = (seed % 2 ** 32) ^ Math.imul(Math.floor(seed / 2 ** 32) | 0, 0x85ebca6b);
  const next = (): number => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) | 0;
  };
  const state = [next(), next(), next(), next()];
  // An all-zero state would be a fixed point of xoroshiro.
  if (!state.some((w) => w !== 0)) state[0] = 1;
  return state;
}

function checkShape(shape: readonly number[], what: string): void {
  assertShape(shape as unknown[], `${what}: shape`);
  void sizeOf(shape);
}



