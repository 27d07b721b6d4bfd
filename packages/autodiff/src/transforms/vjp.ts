/**
 * Reverse mode as linearize + transpose: the JVP gives a computation linear
 * in fresh tangent placeholders; transposing it gives the pullback. So a
 * nonlinear primitive needs only a JVP rule, and only linear primitives need
 * transpose rules.
 */
import { formatShape, ShapeError, ValueError } from "@curv/tensor";
import { Value } from "../core/value.js";
import { literal } from "../core/leaves.js";
import { broadcastTo } from "../primitives/broadcast-to.js";
import { checkDistinct, pushTangents } from "./jvp.js";
import { assertIndependent, transposeLinear } from "./transpose.js";

/** A linearization: the outputs, and their tangents as linear functions of `tangentInputs`. */
export interface Linearization {
  readonly outputs: readonly Value[];
  /** Placeholders standing for the primals' tangents; they never reach a program. */
  readonly tangentInputs: readonly Value[];
  /** The outputs' tangents (`null` where an output does not depend on the primals). */
  readonly tangentOutputs: readonly (Value | null)[];
}

/**
 * Evaluates `f` at `primals` and its derivative there as a linear
 * computation of placeholder tangents (JAX's `linearize`).
 *
 * @example
 * ```ts
 * const { outputs, tangentInputs, tangentOutputs } = linearize(([x]) => [exp(x)], [x]);
 * ```
 */
export function linearize(f: (primals: Value[]) => Value[], primals: readonly Value[]): Linearization {
  checkDistinct(primals, "linearize");
  const tangentInputs = primals.map((p, i) => Value.leaf(p, { kind: "input", name: `tangent placeholder ${i}` }));
  const outputs = f([...primals]);
  const tangentOutputs = pushTangents(outputs, new Map(primals.map((p, i) => [p, tangentInputs[i]])));
  return { outputs, tangentInputs, tangentOutputs };
}

/** The pullback of a linearization: output cotangents to primal cotangents. */
function pullbackOf({ outputs, tangentInputs, tangentOutputs }: Linearization): (cotangents: readonly Value[]) => Value[] {
  return (cotangents) => {
    if (cotangents.length !== outputs.length) throw new ValueError(`vjp: ${outputs.length} outputs but ${cotangents.length} cotangents`);
    const live = tangentOutputs.flatMap((t, i) => (t === null ? [] : [{ t, c: cotangents[i] }]));
    const result = transposeLinear(live.map((l) => l.t), live.map((l) => l.c), tangentInputs);
    assertIndependent(result, tangentInputs, "vjp");
    return result;
  };
}

/**
 * Reverse-mode derivative: the outputs of `f` at `primals` and the pullback
 * mapping output cotangents to primal cotangents (`J^T w`).
 *
 * @example
 * ```ts
 * const [[y], pullback] = vjp(([w]) => [matmul(x, w)], [w]);
 * const [wBar] = pullback([yBar]);            // x^T yBar
 * ```
 */
export function vjp(f: (primals: Value[]) => Value[], primals: readonly Value[]): [Value[], (cotangents: readonly Value[]) => Value[]] {
  const linearization = linearize(f, primals);
  return [[...linearization.outputs], pullbackOf(linearization)];
}

function scalarOutput(output: Value, what: string): Value {
  if (!(output instanceof Value)) throw new ValueError(`${what}: the function must return one traced value`);
  if (output.shape.some((d) => d !== 1)) {
    throw new ShapeError(`${what}: the function must return a scalar (or all extents 1), got ${formatShape(output.shape)}`);
  }
  if (output.dtype !== "float32" && output.dtype !== "float64") throw new ValueError(`${what}: the output must be float32 or float64, got ${output.dtype}`);
  return output;
}

/**
 * The value of scalar `f` at `primals` and its gradient with respect to
 * each primal.
 *
 * @example
 * ```ts
 * const [loss, [gradW, gradB]] = valueAndGrad(([w, b]) => mse(add(matmul(x, w), b), y))([w, b]);
 * ```
 */
export function valueAndGrad(f: (primals: Value[]) => Value): (primals: readonly Value[]) => [Value, Value[]] {
  return (primals) => {
    const [[value], pullback] = vjp((p) => [scalarOutput(f(p), "grad")], primals);
    const seed = broadcastTo(literal(1, value.dtype), value.shape);
    return [value, pullback([seed])];
  };
}

/**
 * The gradient of scalar `f` with respect to each primal.
 *
 * @example
 * ```ts
 * const [gradX] = grad(([x]) => reduceSum(mul(x, x)))([x]);   // 2 x
 * ```
 */
export function grad(f: (primals: Value[]) => Value): (primals: readonly Value[]) => Value[] {
  return (primals) => valueAndGrad(f)(primals)[1];
}

