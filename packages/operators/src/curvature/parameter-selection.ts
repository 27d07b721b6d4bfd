/**
 * Which of a model's parameters an operator is about: curvlinops' `params`
 * (a `dict[str, Tensor]` in its main branch), here the parameters' dotted
 * names.
 */
import { DTypeError, ValueError, type FloatDType, type Shape } from "@curv/tensor";
import type { Module } from "@curv/autodiff";

/** The selected parameters, resolved against a model. */
export interface ParameterSelection {
  /** The dotted names, in the order given (the order of the operator's blocks). */
  readonly names: readonly string[];
  /** Each name's position in the model's `namedParameters()`. */
  readonly positions: readonly number[];
  /** Each parameter's shape (the operator's input blocks). */
  readonly shapes: readonly Shape[];
  /** The parameters' common dtype. */
  readonly dtype: FloatDType;
}

/**
 * Resolves `names` against `model`: each must be one of the model's
 * parameters, none twice, at least one. The order given is kept (curvlinops
 * keeps the order of its `params`); the model's order is the usual choice.
 *
 * @example
 * ```ts
 * selectParameters(model, ["0.weight", "0.bias"], "HessianLinearOperator").shapes;   // [[5, 7], [5]]
 * ```
 */
export function selectParameters(model: Module, names: readonly string[], who: string): ParameterSelection {
  if (!Array.isArray(names) || names.some((n) => typeof n !== "string")) {
    throw new ValueError(`${who}: params must be a list of parameter names such as ["0.weight", "0.bias"], got ${String(names)}`);
  }
  if (names.length === 0) throw new ValueError(`${who}: params is empty; name at least one of the model's parameters`);
  const all = model.namedParameters();
  const known = all.map(([name]) => name);
  const positions = names.map((name, i) => {
    const position = known.indexOf(name);
    if (position < 0) {
      throw new ValueError(`${who}: params[${i}] = "${name}" is not a parameter of the model; its parameters are ${known.map((n) => `"${n}"`).join(", ")}`);
    }
    const earlier = names.indexOf(name);
    if (earlier !== i) throw new ValueError(`${who}: params names "${name}" twice (positions ${earlier} and ${i})`);
    return position;
  });
  const dtypes = new Set(all.map(([, t]) => t.dtype));
  if (dtypes.size !== 1) throw new DTypeError(`${who}: the model's parameters mix dtypes (${[...dtypes].join(", ")}); convert it with model.to(dtype)`);
  return {
    names: Object.freeze([...names]),
    positions: Object.freeze(positions),
    shapes: Object.freeze(positions.map((p) => Object.freeze([...all[p][1].shape]))),
    dtype: all[0][1].dtype as FloatDType,
  };
}
