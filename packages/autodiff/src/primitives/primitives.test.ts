/**
 * One row per primitive: JVP against finite differences, the transpose
 * identity <J v, w> = <v, J^T w> between the JVP and the VJP, and the
 * Hessian-vector product of <f(x), w> against finite differences of its
 * gradient, on the `js` runtime in float64; then ORT CPU in float32 against
 * the float64 results.
 */
import { assertAllClose, assertTransposeIdentity } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { finiteDifferenceOf, joined, prepareCase, scaled } from "../testing/derivative-check.js";
import { PRIMITIVE_ROWS as ROWS } from "../testing/primitive-rows.js";
import { PRIMITIVES } from "./index.js";

describe("the primitive table", () => {
  it("has one row for every primitive, and there are 30", () => {
    expect(PRIMITIVES.length).toBe(30);
    expect(new Set(ROWS.map((r) => r.primitive))).toEqual(new Set(PRIMITIVES.map((p) => p.primitive)));
  });
});

describe.each(ROWS)("$name", (row) => {
  it("js float64: JVP and HVP match finite differences; VJP is the JVP's transpose", async () => {
    const prepared = await prepareCase(row, "float64", "js");
    const { compiled, feeds, moving } = prepared;
    const out = await compiled.run(feeds);
    const fdJvp = await finiteDifferenceOf(prepared, (o) => o.y);
    assertAllClose(out.jv, fdJvp, scaled(fdJvp, 1e-6, 1e-9), "JVP vs finite differences");
    const v = moving.map((i) => feeds[`v${i}`]);
    const vjps = moving.map((i) => out[`vjp${i}`]);
    assertTransposeIdentity(out.jv, feeds.w, v, vjps, { rtol: 1e-12 }, "<J v, w> = <v, J^T w>");
    const fdHvp = await finiteDifferenceOf(prepared, (o) => joined(o, "vjp", moving));
    const hv = joined(out, "hvp", moving);
    assertAllClose(hv, fdHvp, scaled(fdHvp, 1e-6, 1e-9), "HVP vs finite differences of the gradient");
    await compiled.dispose();
  });

  it("ort cpu float32: matches the float64 results of the same inputs", async () => {
    const prepared = await prepareCase(row, "float32", "ort");
    const { compiled, feeds, moving } = prepared;
    const reference = await prepareCase(row, "float64", "js");
    const feeds64 = Object.fromEntries(Object.entries(feeds).map(([n, t]) => [n, t.dtype === "float32" ? t.astype("float64") : t]));
    const [out, expected] = await Promise.all([compiled.run(feeds), reference.compiled.run(feeds64)]);
    for (const name of Object.keys(expected)) {
      assertAllClose(out[name], expected[name], scaled(expected[name], 1e-4, 1e-5), `${name} on ort float32`);
    }
    const v = moving.map((i) => feeds[`v${i}`]);
    assertTransposeIdentity(out.jv, feeds.w, v, moving.map((i) => out[`vjp${i}`]), { rtol: 1e-5 }, "float32 transpose identity");
    await Promise.all([compiled.dispose(), reference.compiled.dispose()]);
  });
});
