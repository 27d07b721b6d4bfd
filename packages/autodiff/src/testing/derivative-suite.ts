/**
 * Test support: the two checks each derivative case runs, so primitive and
 * composite tables share them.
 */
import { assertAllClose, assertTransposeIdentity } from "@curv/tensor/test";
import { expect } from "vitest";
import { compileProgram } from "../compile-function.js";
import { finiteDifferenceOf, joined, prepareCase, scaled, type DerivativeCase } from "./derivative-check.js";

/**
 * On `js` in float64: the JVP and the Hessian-vector product against
 * finite differences (rtol 1e-6), and the VJP against the JVP by the
 * transpose identity (rtol 1e-12).
 */
export async function checkJsFloat64(c: DerivativeCase): Promise<void> {
  const prepared = await prepareCase(c, "float64", "js");
  const { compiled, feeds, moving } = prepared;
  const out = await compiled.run(feeds);
  const fdJvp = await finiteDifferenceOf(prepared, (o) => o.y);
  assertAllClose(out.jv, fdJvp, scaled(fdJvp, 1e-6, 1e-9), "JVP vs finite differences");
  const v = moving.map((i) => feeds[`v${i}`]);
  assertTransposeIdentity(out.jv, feeds.w, v, moving.map((i) => out[`vjp${i}`]), { rtol: 1e-12 }, "<J v, w> = <v, J^T w>");
  const fdHvp = await finiteDifferenceOf(prepared, (o) => joined(o, "vjp", moving));
  assertAllClose(joined(out, "hvp", moving), fdHvp, scaled(fdHvp, 1e-6, 1e-9), "HVP vs finite differences of the gradient");
  await compiled.dispose();
}

/**
 * On ORT's CPU provider in float32: every checked value against the js
 * float64 results for the same (float32-representable) inputs, and the
 * transpose identity in float32 (rtol 1e-5).
 */
export async function checkOrtFloat32(c: DerivativeCase): Promise<void> {
  const prepared = await prepareCase(c, "float32", "ort");
  const { compiled, feeds, moving } = prepared;
  const reference = await prepareCase(c, "float64", "js");
  const feeds64 = Object.fromEntries(Object.entries(feeds).map(([n, t]) => [n, t.dtype === "float32" ? t.astype("float64") : t]));
  const [out, expected] = await Promise.all([compiled.run(feeds), reference.compiled.run(feeds64)]);
  for (const name of Object.keys(expected)) {
    assertAllClose(out[name], expected[name], scaled(expected[name], 1e-4, 1e-5), `${name} on ort float32`);
  }
  const v = moving.map((i) => feeds[`v${i}`]);
  assertTransposeIdentity(out.jv, feeds.w, v, moving.map((i) => out[`vjp${i}`]), { rtol: 1e-5 }, "float32 transpose identity");
  await Promise.all([compiled.dispose(), reference.compiled.dispose()]);
}

/**
 * On ORT's WebGPU provider in float32 (SwiftShader where there is no GPU):
 * every checked value against ORT's CPU provider for the same inputs.
 */
export async function checkWebGpuParity(c: DerivativeCase): Promise<void> {
  const cpu = await prepareCase(c, "float32", "ort");
  const gpu = await compileProgram(cpu.compiled.program, { providers: ["webgpu"] });
  expect(gpu.compiled.provider).toBe("webgpu");
  const [want, got] = await Promise.all([cpu.compiled.run(cpu.feeds), gpu.run(cpu.feeds)]);
  for (const name of Object.keys(want)) {
    assertAllClose(got[name], want[name], scaled(want[name], 1e-4, 1e-5), `${name} on webgpu`);
  }
  await Promise.all([cpu.compiled.dispose(), gpu.dispose()]);
}
