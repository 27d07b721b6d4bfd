// The nngeometry-mlp fixture's model and data, and the comparison its tests use.
import { Linear, Sequential, Tanh } from "@curv/autodiff";
import { jsonTensor, nngeometryMlpBatches, readNngeometryMlpGolden, type JsonTensor } from "@curv/fixtures";
import { Generator, type FloatDType, type Tensor } from "@curv/tensor";

/** `Sequential(Linear(6, 5), Tanh(), Linear(5, 4))` with the fixture's weights, and its batches. */
export function fixtureModel<D extends FloatDType>(dtype: D, { regression = false }: { regression?: boolean } = {}) {
  const golden = readNngeometryMlpGolden();
  const generator = new Generator(0);
  const model = new Sequential(new Linear(6, 5, { generator, dtype }), new Tanh(), new Linear(5, 4, { generator, dtype }));
  model.loadStateDict(Object.fromEntries(Object.entries(golden.params).map(([name, t]) => [name, jsonTensor(t, dtype)])));
  return { golden, model, batches: nngeometryMlpBatches(dtype, { regression }) };
}

/** `‖actual − expected‖ / ‖expected‖` over all entries. */
export function relativeError(actual: Tensor | ArrayLike<number> | number, expected: JsonTensor | Tensor | ArrayLike<number> | number): number {
  const a = typeof actual === "number" ? [actual] : Array.from(("data" in actual ? actual.data : actual) as ArrayLike<number>);
  const b = typeof expected === "number" ? [expected] : Array.from(("data" in expected ? expected.data : expected) as ArrayLike<number>);
  if (a.length !== b.length) throw new Error(`relativeError: ${a.length} entries vs ${b.length}`);
  let difference = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    difference += (a[i] - b[i]) ** 2;
    norm += b[i] ** 2;
  }
  return Math.sqrt(difference) / Math.sqrt(norm);
}
