/**
 * Which layers KFAC covers: every Linear, Conv2d and Embedding holding a parameter the
 * operator is asked about (curvlinops' `compute_parameter_groups`), found by
 * the module's kind, so the nn modules and the layers `importOnnx` recognizes
 * (a Gemm with `transB = 1`, a Conv) both qualify. An Embedding is a Linear
 * layer on the one-hot rows of its ids with the weight stored transposed
 * (`[V, d]`, NNGeometry's `transposed` layers): A is the second moment of the
 * one-hot rows, the diagonal of token counts, G the output-gradient moment. A requested parameter
 * outside such a layer has no Kronecker factorization and is an error that
 * names it and its layer.
 */
import { CurvError, ValueError } from "@curv/tensor";
import type { Module } from "@curv/autodiff";

/**
 * A requested parameter lives in a layer KFAC cannot factor (anything but
 * Linear, Conv2d and Embedding); curvlinops raises `NotImplementedError`.
 *
 * @example
 * ```ts
 * // model = Sequential(Linear(3, 4), LayerNorm(4), Linear(4, 2))
 * new KFACLinearOperator(model, loss, ["1.weight"], data);
 * // UnsupportedLayerError: KFACLinearOperator: KFAC supports the layers Linear, Conv2d, Embedding; the parameters "1.weight" of LayerNorm "1" are in a layer it cannot factor
 * ```
 */
export class UnsupportedLayerError extends CurvError {
  constructor(message: string) {
    super("UNSUPPORTED_LAYER", message);
  }
}

/** The layer kinds KFAC factors. */
export type KFACLayerKind = "Linear" | "Conv2d" | "Embedding";

/** One layer KFAC factors, with the requested parameters it holds (full dotted names). */
export interface KFACLayer {
  /** The module's dotted name (`"0"`, `"features.3"`; `""` for a model that is one layer). */
  readonly name: string;
  readonly kind: KFACLayerKind;
  readonly module: Module;
  /** d_out: the weight's first extent (output features or channels; an Embedding's second, its dimension), the size of G. */
  readonly outFeatures: number;
  /** Its weight, if requested. */
  readonly weight?: string;
  /** Its bias, if the layer has one and it is requested. */
  readonly bias?: string;
}

const SUPPORTED = "Linear, Conv2d, Embedding";

function describe(name: string, module: Module): string {
  return name === "" ? `${module.kind} (the model itself)` : `${module.kind} "${name}"`;
}

/**
 * The layers of `model` that hold any of `params`, in `namedModules()` order.
 * Throws a `ValueError` for a name that is no parameter of the model or is
 * listed twice, and an {@link UnsupportedLayerError} naming every requested
 * parameter of an unsupported layer.
 */
export function findKFACLayers(who: string, model: Module, params: readonly string[]): KFACLayer[] {
  const owned = new Map(model.namedParameters().map(([name]) => [name, true]));
  const seen = new Set<string>();
  for (const name of params) {
    if (typeof name !== "string" || !owned.has(name)) {
      throw new ValueError(`${who}: ${JSON.stringify(name)} is not a parameter of the model; its parameters are ${[...owned.keys()].join(", ")}`);
    }
    if (seen.has(name)) throw new ValueError(`${who}: parameter "${name}" is listed twice`);
    seen.add(name);
  }
  if (params.length === 0) throw new ValueError(`${who}: params must name at least one parameter`);
  const layers: KFACLayer[] = [];
  const unsupported: string[] = [];
  for (const [name, module] of model.namedModules()) {
    // A module's own parameters are those without a further dot after its prefix.
    const prefix = name === "" ? "" : `${name}.`;
    const own = module.namedParameters(name).map(([full]) => full).filter((full) => !full.slice(prefix.length).includes("."));
    const requested = own.filter((full) => seen.has(full));
    if (requested.length === 0) continue;
    const weightTensor = module.namedParameters(name).find(([full]) => full === `${prefix}weight`)?.[1];
    if ((module.kind !== "Linear" && module.kind !== "Conv2d" && module.kind !== "Embedding") || weightTensor === undefined) {
      unsupported.push(`${requested.map((p) => `"${p}"`).join(", ")} of ${describe(name, module)}`);
      continue;
    }
    const weight = requested.find((p) => p === `${prefix}weight`);
    const bias = requested.find((p) => p === `${prefix}bias`);
    layers.push({
      name, kind: module.kind, module, outFeatures: weightTensor.shape[module.kind === "Embedding" ? 1 : 0],
      ...(weight === undefined ? {} : { weight }), ...(bias === undefined ? {} : { bias }),
    });
  }
  if (unsupported.length > 0) {
    throw new UnsupportedLayerError(`${who}: KFAC supports the layers ${SUPPORTED}; the parameters ${unsupported.join("; ")} are in a layer it cannot factor`);
  }
  return layers;
}
