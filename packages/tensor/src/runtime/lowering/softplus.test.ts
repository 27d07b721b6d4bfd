import { describe, it } from "vitest";
import { GraphBuilder } from "../../graph/index.js";
import { Generator } from "../../random.js";
import { concat, tensor } from "../../tensor.js";
import { checkLowering } from "./check-lowering.js";

describe("Softplus lowering (float64, ORT CPU)", () => {
  it("matches the host kernel to 1e-14, keeping tiny results for very negative inputs", async () => {
    const b = new GraphBuilder("softplus");
    b.output(b.op("Softplus", [b.input("x", "float64", ["n"])]), "y");
    // -40 and -700 give results far below the rounding of 1 + e^x: a naive log(1 + e^x) returns 0 there.
    const special = [0, -0, 1e-20, -1e-20, -1, 1, -40, -700, 40, 700, 1e5, Infinity, -Infinity, NaN];
    const random = new Generator(3).normal([50], { std: 10, dtype: "float64" });
    const x = concat([tensor(special, { dtype: "float64" }), random]);
    await checkLowering(b.build(), { x }, { rtol: 1e-14, atol: 0 });
  });
});
