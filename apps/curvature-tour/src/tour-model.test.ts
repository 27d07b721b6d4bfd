import { describe, expect, it } from "vitest";
import { Generator } from "@curv/tensor";
import { layerParameterCounts, syntheticClassification, tourCnn } from "./tour-model.js";

describe("tourCnn", () => {
  const model = tourCnn(new Generator(0));

  it("has the seed's 683 parameters, per layer as the seed prints them", () => {
    expect(model.numParameters).toBe(683);
    expect(layerParameterCounts(model)).toEqual([112, 0, 404, 0, 37, 0, 130]);
  });

  it("names its parameters as PyTorch's Sequential does", () => {
    expect(model.namedParameters().map(([name, p]) => `${name} ${p.shape.join("x")}`)).toEqual([
      "0.weight 4x3x3x3", "0.bias 4", "2.weight 4x4x5x5", "2.bias 4", "4.weight 1x4x3x3", "4.bias 1", "6.weight 5x25", "6.bias 5",
    ]);
  });
});

describe("syntheticClassification", () => {
  const options = { numData: 50, batchSize: 20, inputShape: [3, 10, 10], numClasses: 5 };
  const batches = syntheticClassification(new Generator(0), options);

  it("cuts 50 examples into batches of 20, 20 and 10, as a DataLoader without shuffling", () => {
    expect(batches.map(([X, y]) => [X.shape, y.shape])).toEqual([
      [[20, 3, 10, 10], [20]], [[20, 3, 10, 10], [20]], [[10, 3, 10, 10], [10]],
    ]);
  });

  it("draws inputs in [0, 1) and int64 labels in [0, 5), all five classes present", () => {
    const inputs = batches.flatMap(([X]) => X.toArray());
    const labels = batches.flatMap(([, y]) => y.toArray());
    expect(batches[0][1].dtype).toBe("int64");
    expect(Math.min(...inputs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...inputs)).toBeLessThan(1);
    expect(new Set(labels)).toEqual(new Set([0, 1, 2, 3, 4]));
  });

  it("gives the same data for the same seed, other data for another", () => {
    const again = syntheticClassification(new Generator(0), options);
    const other = syntheticClassification(new Generator(1), options);
    expect(again[2][0].toArray()).toEqual(batches[2][0].toArray());
    expect(other[2][0].toArray()).not.toEqual(batches[2][0].toArray());
  });
});
