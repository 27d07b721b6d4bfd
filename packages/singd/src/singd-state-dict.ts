/**
 * SINGD's state as a flat state dict of tensors (SINGD's `state_dict` adds
 * `steps`, `_grad_scales`, `Ks`, `Cs`, `m_Ks`, `m_Cs` to PyTorch's momentum
 * buffers), so it goes through `@curv/autodiff`'s JSON and safetensors
 * writers unchanged:
 *
 * | key | tensor |
 * |---|---|
 * | `steps` | the step counter, float64 scalar |
 * | `grad_scale` | s_{t−1}, the gradient scale of the last step (the initial scale before the first), float64 scalar |
 * | `Ks.<layer>.<part>`, `Cs.…`, `m_Ks.…`, `m_Cs.…` | each stored tensor of K, C, m_K, m_C (`namedTensors()` order and names; m_* only with alpha1 ≠ 0) |
 * | `momentum_buffer.<parameter>` | the momentum buffer, once allocated |
 *
 * SINGD also saves the H accumulators; a curv step consumes them within the
 * step, so there are none between steps.
 */
import { Tensor, ValueError, formatShape, tensor, type FloatDType } from "@curv/tensor";
import type { StateDict } from "@curv/autodiff";
import type { StructuredMatrix } from "@curv/structures";
import type { LayerPreconditioner } from "./layer-preconditioner.js";
import type { SINGDLayer } from "./singd-layers.js";

type Factor = "Ks" | "Cs" | "m_Ks" | "m_Cs";

function factorsOf(p: { K: StructuredMatrix<FloatDType>; C: StructuredMatrix<FloatDType>; mK?: StructuredMatrix<FloatDType>; mC?: StructuredMatrix<FloatDType> }): [Factor, StructuredMatrix<FloatDType>][] {
  return [["Ks", p.K], ["Cs", p.C], ...(p.mK === undefined ? [] : [["m_Ks", p.mK] as [Factor, StructuredMatrix<FloatDType>]]), ...(p.mC === undefined ? [] : [["m_Cs", p.mC] as [Factor, StructuredMatrix<FloatDType>]])];
}

/** The state dict of an optimizer (copies). */
export function singdStateDict(
  steps: number, previousGradScale: number, layers: readonly SINGDLayer[],
  preconditioners: ReadonlyMap<string, LayerPreconditioner>, momentumBuffers: ReadonlyMap<string, Tensor<FloatDType>>,
): StateDict {
  const state: StateDict = { steps: tensor(steps, { dtype: "float64" }), grad_scale: tensor(previousGradScale, { dtype: "float64" }) };
  for (const layer of layers) {
    const p = preconditioners.get(layer.name) as LayerPreconditioner;
    for (const [factor, matrix] of factorsOf(p)) {
      for (const [part, t] of matrix.namedTensors()) state[`${factor}.${layer.name}.${part}`] = t.clone();
    }
  }
  for (const [name, buffer] of momentumBuffers) state[`momentum_buffer.${name}`] = buffer.clone();
  return state;
}

/** A loaded state, checked, not yet installed. */
export interface LoadedSINGDState {
  readonly steps: number;
  readonly previousGradScale: number;
  readonly preconditioners: Map<string, { K: StructuredMatrix<FloatDType>; C: StructuredMatrix<FloatDType>; mK?: StructuredMatrix<FloatDType>; mC?: StructuredMatrix<FloatDType> }>;
  readonly momentumBuffers: Map<string, Tensor<FloatDType>>;
}

function scalar(state: Readonly<StateDict>, key: string, check: (v: number) => boolean, expected: string): number {
  const t = state[key];
  if (!(t instanceof Tensor) || t.size !== 1) throw new ValueError(`SINGD.loadStateDict: "${key}" must be a scalar tensor, got ${t instanceof Tensor ? formatShape(t.shape) : String(t)}`);
  const v = t.item();
  if (!check(v)) throw new ValueError(`SINGD.loadStateDict: "${key}" must be ${expected}, got ${v}`);
  return v;
}

/** Copies `given` into a fresh matrix shaped like `like` (same structure, size, dtype), checking each stored tensor. */
function restored(like: StructuredMatrix<FloatDType>, key: string, state: Readonly<StateDict>, used: Set<string>): StructuredMatrix<FloatDType> {
  const fresh = like.structure.zeros(like.dim, like.dtype);
  for (const [part, target] of fresh.namedTensors()) {
    const name = `${key}.${part}`;
    const given = state[name];
    if (!(given instanceof Tensor)) throw new ValueError(`SINGD.loadStateDict: missing "${name}" (a ${like.structureName} matrix of size ${like.dim}, ${like.dtype})`);
    if (formatShape(given.shape) !== formatShape(target.shape) || given.dtype !== target.dtype) {
      throw new ValueError(`SINGD.loadStateDict: "${name}" is ${given.dtype} ${formatShape(given.shape)}, expected ${target.dtype} ${formatShape(target.shape)} (a ${like.structureName} matrix of size ${like.dim})`);
    }
    (target.data as Float32Array | Float64Array).set(given.data as Float32Array | Float64Array);
    used.add(name);
  }
  return fresh;
}

/** Reads and checks `state` against the optimizer's layers; throws a `ValueError` naming the first mismatch and any unexpected key. */
export function loadSINGDState(state: Readonly<StateDict>, layers: readonly SINGDLayer[], preconditioners: ReadonlyMap<string, LayerPreconditioner>): LoadedSINGDState {
  if (state === null || typeof state !== "object") throw new ValueError(`SINGD.loadStateDict: expected a state dict of tensors, got ${String(state)}`);
  const used = new Set<string>(["steps", "grad_scale"]);
  const steps = scalar(state, "steps", (v) => Number.isInteger(v) && v >= 0, "an integer ≥ 0");
  const previousGradScale = scalar(state, "grad_scale", (v) => Number.isFinite(v) && v > 0, "a finite number > 0");
  const loaded: LoadedSINGDState["preconditioners"] = new Map();
  for (const layer of layers) {
    const p = preconditioners.get(layer.name) as LayerPreconditioner;
    const restoredFactors = Object.fromEntries(factorsOf(p).map(([factor, matrix]) => [factor, restored(matrix, `${factor}.${layer.name}`, state, used)]));
    loaded.set(layer.name, {
      K: restoredFactors.Ks, C: restoredFactors.Cs,
      ...(restoredFactors.m_Ks === undefined ? {} : { mK: restoredFactors.m_Ks }), ...(restoredFactors.m_Cs === undefined ? {} : { mC: restoredFactors.m_Cs }),
    });
  }
  const momentumBuffers = new Map<string, Tensor<FloatDType>>();
  const parameters = new Map(layers.flatMap((l) => [[l.weight, l] as const, ...(l.bias === undefined ? [] : [[l.bias, l] as const])]));
  for (const [key, t] of Object.entries(state)) {
    if (!key.startsWith("momentum_buffer.")) continue;
    const name = key.slice("momentum_buffer.".length);
    const layer = parameters.get(name);
    if (layer === undefined) throw new ValueError(`SINGD.loadStateDict: "${key}" is the momentum buffer of "${name}", which this optimizer does not train`);
    if (!(t instanceof Tensor) || (t.dtype !== "float32" && t.dtype !== "float64")) throw new ValueError(`SINGD.loadStateDict: "${key}" must be a float tensor`);
    const expected = name === layer.weight ? layer.weightShape : [layer.dimC];
    if (formatShape(t.shape) !== formatShape(expected)) throw new ValueError(`SINGD.loadStateDict: "${key}" has shape ${formatShape(t.shape)}, expected ${formatShape(expected)}`);
    momentumBuffers.set(name, t.clone() as Tensor<FloatDType>);
    used.add(key);
  }
  const unexpected = Object.keys(state).filter((key) => !used.has(key));
  if (unexpected.length > 0) throw new ValueError(`SINGD.loadStateDict: unexpected keys ${unexpected.map((k) => `"${k}"`).join(", ")} (a state of another configuration?)`);
  return { steps, previousGradScale, preconditioners: loaded, momentumBuffers };
}
