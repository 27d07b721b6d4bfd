// The synthetic language: sums modulo m written out, "a + b = s" with
// s = (a + b) mod m, chunks concatenated without separators. a and b are
// uniform digits (unpredictable); "+", "=" and s are determined by what came
// before, so a model that learns the rule reaches the language's entropy.

import { Generator, Tensor } from "@curv/tensor";

const CHUNK = 5;

/** Tokens 0..m-1 are digits, then "+" (m) and "=" (m + 1): m + 2 tokens. */
export function vocabularySize(modulus: number): number {
  return modulus + 2;
}

/** `count` sequences of `length` tokens each (seeded) of sums modulo `modulus`, as int64 `[count, length]`. */
export function sampleSequences(count: number, length: number, seed: number, modulus = 10): Tensor<"int64"> {
  const m = BigInt(modulus);
  const digits = new Generator(seed).integers(0, modulus, [count, 2 * Math.ceil(length / CHUNK)], "int64").data as BigInt64Array;
  const perRow = 2 * Math.ceil(length / CHUNK);
  const out = new BigInt64Array(count * length);
  for (let n = 0; n < count; n++) {
    for (let t = 0; t < length; t++) {
      const chunk = Math.floor(t / CHUNK);
      const a = digits[n * perRow + 2 * chunk];
      const b = digits[n * perRow + 2 * chunk + 1];
      const token = [a, m, b, m + 1n, (a + b) % m][t % CHUNK];
      out[n * length + t] = token;
    }
  }
  return new Tensor("int64", [count, length], out);
}

/**
 * The lowest mean next-token loss any model can reach on targets 1..T of a
 * sequence: ln m for each target that is a fresh digit (a or b), 0 otherwise.
 */
export function entropyFloor(numTargets: number, modulus = 10): number {
  let random = 0;
  for (let t = 1; t <= numTargets; t++) if (t % CHUNK === 0 || t % CHUNK === 2) random++;
  return (random * Math.log(modulus)) / numTargets;
}

/** Inputs (tokens 0..T-1) and next-token targets (tokens 1..T) of `[N, T + 1]` sequences. */
export function nextTokenPairs(sequences: Tensor<"int64">): [Tensor<"int64">, Tensor<"int64">] {
  const [N, L] = sequences.shape;
  return [sequences.slice([0, N], [0, L - 1]) as Tensor<"int64">, sequences.slice([0, N], [1, L]) as Tensor<"int64">];
}
