/**
 * Test support: the derivative checks every primitive (and composite) row
 * goes through. One program per case computes the value, its JVP, its VJP
 * and a Hessian-vector product; finite differences of the same compiled
 * program are the independent reference.
 */
import { Generator, Tensor, type FloatDType } from "@curv/tensor";
import { finiteDifferenceJvp } from "@curv/tensor/test";
import { input } from "../core/leaves.js";
import { trace, type InputSpec, type Program } from "../core/program.js";
import type { Value } from "../core/value.js";
import { mul } from "../primitives/mul.js";
import { reduceSum } from "../primitives/reduce-sum.js";
import { hvp } from "../transforms/hvp.js";
import { jvp } from "../transforms/jvp.js";
import { vjp } from "../transforms/vjp.js";
import { vmap } from "../transforms/batch.js";
import { compileProgram, type CompiledFunction } from "../compile-function.js";

/** How a case's operand is drawn. */
export interface OperandSpec {
  readonly shape: readonly number[];
  /** `real` (standard normal, the default), `positive` (in [0.5, 2]) or `labels` (int64 classes, not differentiable). */
  readonly domain?: "real" | "positive" | "labels";
  /** The class count of `labels`. */
  readonly classes?: number;
  /** A real operand held fixed (not differentiated, not moved by finite differences). */
  readonly fixed?: boolean;
}

/** One row of a derivative table. */
export interface DerivativeCase {
  readonly name: string;
  readonly operands: readonly OperandSpec[];
  readonly f: (operands: Value[]) => Value;
  /** Draws the operands instead of the specs' domains (to keep away from kinks and ties). */
  readonly draw?: (generator: Generator, dtype: FloatDType) => Tensor[];
}

const differentiable = (spec: OperandSpec) => spec.domain !== "labels" && spec.fixed !== true;

/** The operand tensors of a case. */
export function drawOperands(c: DerivativeCase, dtype: FloatDType, generator: Generator): Tensor[] {
  if (c.draw !== undefined) return c.draw(generator, dtype);
  return c.operands.map((spec) => {
    if (spec.domain === "labels") return generator.integers(0, spec.classes ?? 2, spec.shape, "int64");
    if (spec.domain === "positive") return generator.uniform(spec.shape, { low: 0.5, high: 2, dtype });
    return generator.normal(spec.shape, { dtype });
  });
}

function operandSpec(spec: OperandSpec, dtype: FloatDType): InputSpec {
  return { dtype: spec.domain === "labels" ? "int64" : dtype, shape: spec.shape };
}

/** The static output shape of a case. */
function outputShape(c: DerivativeCase, dtype: FloatDType): number[] {
  const probes = c.operands.map((spec, i) => input(`probe${i}`, operandSpec(spec, dtype).dtype, spec.shape));
  return c.f(probes).shape as number[];
}

/** The names and specs of a case's program inputs: `x<i>`, `v<i>` (moving operands) and `w`. */
export function derivativeInputSpecs(c: DerivativeCase, dtype: FloatDType): Record<string, InputSpec> {
  const specs: Record<string, InputSpec> = {};
  c.operands.forEach((spec, i) => (specs[`x${i}`] = operandSpec(spec, dtype)));
  movingOperands(c).forEach((i) => (specs[`v${i}`] = { dtype, shape: c.operands[i].shape }));
  specs.w = { dtype, shape: outputShape(c, dtype) };
  return specs;
}

/** The indices of the operands that are differentiated. */
export function movingOperands(c: DerivativeCase): number[] {
  return c.operands.flatMap((spec, i) => (differentiable(spec) ? [i] : []));
}

/**
 * The checked values of a case: the value `y`, the JVP `jv`, the VJP blocks
 * `vjp<i>` and the Hessian-vector product blocks `hvp<i>` of `<f(x), w>`.
 */
export function derivativeOutputs(c: DerivativeCase, inputs: Readonly<Record<string, Value>>): Record<string, Value> {
  const moving = movingOperands(c);
  const xs = c.operands.map((_, i) => inputs[`x${i}`]);
  const withMoving = (m: Value[]) => c.f(xs.map((x, i) => (moving.includes(i) ? m[moving.indexOf(i)] : x)));
  const primals = moving.map((i) => xs[i]);
  const directions = moving.map((i) => inputs[`v${i}`]);
  const [[y], [jv]] = jvp((m) => [withMoving(m)], primals, directions);
  const [, pullback] = vjp((m) => [withMoving(m)], primals);
  const cotangents = pullback([inputs.w]);
  const hessianProducts = hvp((m) => reduceSum(mul(withMoving(m), inputs.w)), primals, directions);
  const outputs: Record<string, Value> = { y, jv };
  moving.forEach((i, k) => {
    outputs[`vjp${i}`] = cotangents[k];
    outputs[`hvp${i}`] = hessianProducts[k];
  });
  return outputs;
}

/** The program of a case (see {@link derivativeOutputs}). */
export function derivativeProgram(c: DerivativeCase, dtype: FloatDType): Program {
  return trace((inputs) => derivativeOutputs(c, inputs), derivativeInputSpecs(c, dtype), `check_${c.name.replace(/\W+/g, "_")}`);
}

/**
 * The case's checked values mapped by {@link vmap} over `size` stacked
 * copies of the inputs named in `batched` (each `[size, ...]`).
 */
export function batchedDerivativeProgram(c: DerivativeCase, dtype: FloatDType, size: number, batched: (name: string) => boolean): Program {
  const single = derivativeInputSpecs(c, dtype);
  const names = Object.keys(single);
  const specs = Object.fromEntries(names.map((n) => [n, batched(n) ? { ...single[n], shape: [size, ...single[n].shape] } : single[n]]));
  return trace((inputs) => {
    const outputNames = Object.keys(derivativeOutputs(c, Object.fromEntries(names.map((n) => [n, input(n, single[n].dtype, single[n].shape)]))));
    const results = vmap(
      (args) => {
        const outputs = derivativeOutputs(c, Object.fromEntries(names.map((n, i) => [n, args[i]])));
        return outputNames.map((n) => outputs[n]);
      },
      size,
      names.map(batched),
    )(names.map((n) => inputs[n]));
    return Object.fromEntries(outputNames.map((n, i) => [n, results[i]]));
  }, specs, `batched_${c.name.replace(/\W+/g, "_")}`);
}

/** A case compiled on a runtime with its feeds drawn. */
export interface PreparedCase {
  readonly compiled: CompiledFunction;
  readonly feeds: Record<string, Tensor>;
  readonly moving: readonly number[];
}

/** Compiles a case and draws its operands, directions and output cotangent. */
export async function prepareCase(c: DerivativeCase, dtype: FloatDType, runtime: "js" | "ort", seed = 7): Promise<PreparedCase> {
  const program = derivativeProgram(c, dtype);
  const compiled = await compileProgram(program, { runtime });
  const generator = new Generator(seed);
  const feeds: Record<string, Tensor> = {};
  drawOperands(c, dtype, generator).forEach((t, i) => (feeds[`x${i}`] = t));
  const moving = movingOperands(c);
  moving.forEach((i) => (feeds[`v${i}`] = generator.normal(c.operands[i].shape, { dtype })));
  const w = program.inputs.find((v) => v.source.kind === "input" && v.source.name === "w")!;
  feeds.w = generator.normal(w.shape as number[], { dtype });
  return { compiled, feeds, moving };
}

/** The blocks named `prefix<i>` of a run, flattened into one float64 tensor. */
export function joined(outputs: Record<string, Tensor>, prefix: string, moving: readonly number[]): Tensor<"float64"> {
  const blocks = moving.map((i) => outputs[`${prefix}${i}`]);
  const data = Float64Array.from(blocks.flatMap((b) => Array.from(b.data as ArrayLike<number>, Number)));
  return new Tensor("float64", [data.length], data);
}

/** Finite differences, along the case's directions, of `fetch` (one output or joined blocks). */
export function finiteDifferenceOf(prepared: PreparedCase, fetch: (outputs: Record<string, Tensor>) => Tensor): Promise<Tensor<"float64">> {
  const { compiled, feeds, moving } = prepared;
  const names = Object.keys(feeds).filter((n) => n.startsWith("x"));
  const run = async (xs: readonly Tensor[]) => fetch(await compiled.run({ ...feeds, ...Object.fromEntries(names.map((n, i) => [n, xs[i]])) }));
  const directions = names.map((n) => (moving.includes(Number(n.slice(1))) ? feeds[`v${n.slice(1)}`] : undefined));
  return finiteDifferenceJvp(run, names.map((n) => feeds[n]), directions);
}

/** Tolerances relative to the largest entry of the reference, so entries near zero are not held to a relative bound. */
export function scaled(reference: Tensor, rtol: number, atol: number): { rtol: number; atol: number } {
  const scale = Math.max(1, ...reference.toArray().map(Math.abs));
  return { rtol, atol: atol * scale };
}
