/**
 * Which layers SINGD trains and with which hyper-parameters: every Linear
 * and Conv2d layer holding a trained parameter (SINGD's `SUPPORTED_MODULES`),
 * found by KFAC's layer search, each with the resolved options of the
 * parameter group its parameters are in, and its pre-conditioner sizes
 * (SINGD's `preconditioner_dims`).
 */
import { ValueError, type FloatDType } from "@curv/tensor";
import type { Module } from "@curv/autodiff";
import { UnsupportedLayerError, findKFACLayers, type KFACLayer } from "@curv/operators";
import { resolveHyperparameters, type ResolvedHyperparameters, type SINGDOptions, type SINGDParamGroup } from "./singd-options.js";

/** One trained layer. */
export interface SINGDLayer {
  /** The module's dotted name (`"0"`, `"features.3"`). */
  readonly name: string;
  readonly kind: "Linear" | "Conv2d";
  readonly module: Module;
  readonly weight: string;
  /** The bias, joined to the weight as the last column of `[W | b]`. */
  readonly bias?: string;
  /** The weight's shape (PyTorch's layout). */
  readonly weightShape: readonly number[];
  /** Size of K: `d_in` (Conv2d: `C_in/groups·kh·kw`), plus 1 with a bias. */
  readonly dimK: number;
  /** Size of C: `d_out` (Conv2d: `C_out`). */
  readonly dimC: number;
  /** dtypes of (K, m_K) and (C, m_C). */
  readonly dtypes: readonly [FloatDType, FloatDType];
  readonly options: ResolvedHyperparameters;
}

const SUPPORTED = new Set(["Linear", "Conv2d"]);

/** Every parameter of every Linear and Conv2d module, and those of other modules. */
function partitionParameters(model: Module): { supported: string[]; unsupported: string[] } {
  const supported: string[] = [];
  const unsupported: string[] = [];
  for (const [name, module] of model.namedModules()) {
    const prefix = name === "" ? "" : `${name}.`;
    const own = module.namedParameters(name).map(([full]) => full).filter((full) => !full.slice(prefix.length).includes("."));
    (SUPPORTED.has(module.kind) ? supported : unsupported).push(...own);
  }
  return { supported, unsupported };
}

function isGroupList(params: SINGDOptions["params"]): params is readonly SINGDParamGroup[] {
  return Array.isArray(params) && params.length > 0 && typeof params[0] === "object" && params[0] !== null;
}

/**
 * The layers SINGD trains, in `namedModules()` order, with their options.
 * Throws an {@link UnsupportedLayerError} when there is none, or when a
 * requested parameter is outside a Linear or Conv2d layer, and a
 * `ValueError` for a layer whose parameters sit in different groups.
 */
export function findSINGDLayers(model: Module, options: SINGDOptions, warn: (message: string) => void): { layers: SINGDLayer[]; untrained: string[] } {
  const { supported, unsupported } = partitionParameters(model);
  const groups: readonly SINGDParamGroup[] = options.params === undefined
    ? [{ params: supported }]
    : isGroupList(options.params) ? options.params : [{ params: options.params as readonly string[] }];
  const groupOf = new Map<string, number>();
  groups.forEach((group, g) => {
    if (group === null || typeof group !== "object" || !Array.isArray(group.params)) {
      throw new ValueError(`SINGD: parameter group ${g} must be an object with a params array of parameter names`);
    }
    for (const p of group.params) {
      if (groupOf.has(p)) throw new ValueError(`SINGD: parameter "${p}" is in parameter groups ${groupOf.get(p)} and ${g}`);
      groupOf.set(p, g);
    }
  });
  const requested = [...groupOf.keys()];
  const outside = requested.filter((p) => unsupported.includes(p));
  if (outside.length > 0) {
    throw new UnsupportedLayerError(`SINGD: SINGD trains the parameters of Linear and Conv2d layers only; ${outside.map((p) => `"${p}"`).join(", ")} ${outside.length === 1 ? "is" : "are"} in other layers (leave them out of params, and train them with another optimizer)`);
  }
  if (requested.length === 0) {
    const kinds = [...new Set(model.namedModules().map(([, m]) => m.kind))].join(", ");
    throw new UnsupportedLayerError(`SINGD: the model has no Linear or Conv2d layer with parameters to train (its modules: ${kinds}); SINGD supports Linear and Conv2d only`);
  }
  const found: KFACLayer[] = findKFACLayers("SINGD", model, requested);
  const resolved = groups.map((group, g) => resolveHyperparameters(group, options, groups.length > 1 ? ` (parameter group ${g})` : "", warn));
  const layers = found.map((layer): SINGDLayer => {
    const prefix = layer.name === "" ? "" : `${layer.name}.`;
    const own = layer.module.namedParameters(layer.name).map(([full]) => full).filter((full) => !full.slice(prefix.length).includes("."));
    const inGroups = new Set(own.map((p) => groupOf.get(p)));
    if (inGroups.size !== 1 || inGroups.has(undefined)) {
      throw new ValueError(`SINGD: the parameters of layer "${layer.name}" (${own.join(", ")}) must all be in one parameter group (SINGD pre-conditions a layer as a whole); got groups ${[...inGroups].map((g) => (g === undefined ? "none" : g)).join(", ")}`);
    }
    const options = resolved[[...inGroups][0] as number];
    // KFAC also factors Embedding; SINGD's partition above keeps it out (Linear and Conv2d only).
    if (layer.kind === "Embedding") throw new UnsupportedLayerError(`SINGD: layer "${layer.name}" is an Embedding; SINGD supports Linear and Conv2d only`);
    const weightTensor = model.namedParameters().find(([n]) => n === `${prefix}weight`)?.[1];
    if (weightTensor === undefined || layer.weight === undefined) throw new ValueError(`SINGD: layer "${layer.name}" has no weight`);
    const shape = weightTensor.shape;
    const bias = layer.bias;
    const dimK = shape.slice(1).reduce((a, b) => a * b, 1) + (bias === undefined ? 0 : 1);
    const weightDtype = weightTensor.dtype as FloatDType;
    return {
      name: layer.name, kind: layer.kind as "Linear" | "Conv2d", module: layer.module, weight: layer.weight, ...(bias === undefined ? {} : { bias }),
      weightShape: shape, dimK, dimC: shape[0],
      dtypes: [options.preconditionerDtype[0] ?? weightDtype, options.preconditionerDtype[1] ?? weightDtype],
      options,
    };
  });
  const untrained = model.namedParameters().map(([n]) => n).filter((n) => !groupOf.has(n));
  if (options.warnUnsupported !== false && options.params === undefined && unsupported.length > 0) {
    warn(`SINGD: the parameters ${unsupported.map((p) => `"${p}"`).join(", ")} are outside Linear and Conv2d layers and will not be trained (as SINGD); pass warnUnsupported: false to silence this`);
  }
  return { layers, untrained };
}
