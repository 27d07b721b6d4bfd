/**
 * SINGD's constructor arguments (`singd.optim.optimizer.SINGD.__init__`),
 * camelCased, their defaults, and their checks. Every hyper-parameter but
 * `initGradScale` and `warnUnsupported` can be overridden per parameter
 * group, as in SINGD (PyTorch's `param_groups`).
 */
import { ValueError, type CompileOptions, type FloatDType } from "@curv/tensor";
import { structureFromName, type Structure } from "@curv/structures";

/** How the loss averages its terms (SINGD's `loss_average`): a mean over the batch, over batch and shared positions, or a sum (`null`). */
export type LossAverage = "batch" | "batch+sequence" | null;

/** The KFAC approximation for weight-sharing layers (Eschenhagen et al. 2023). */
export type SINGDKFACApproximation = "expand" | "reduce";

/** β₁ per step: a constant, or a schedule called with the step counter. */
export type LrCov = number | ((step: number) => number);

/** The hyper-parameters a parameter group may override. */
export interface SINGDHyperparameters {
  /** β₂, the parameter step size; default 1e-3. */
  readonly lr?: number;
  /** α₂, momentum on the parameter update; default 0.9. */
  readonly momentum?: number;
  /** λ, damping in the updates of m_K and m_C; default 1e-3. */
  readonly damping?: number;
  /** α₁, Riemannian momentum on m_K and m_C; default 0.5 (0 under `kfacLike`). */
  readonly alpha1?: number;
  /** γ, weight decay (added to the natural gradient, not preconditioned); default 0. */
  readonly weightDecay?: number;
  /** Pre-conditioner update frequency: K and C are updated on steps with `t % T == 0`; default 10. */
  readonly T?: number;
  /** Default `"batch"`. */
  readonly lossAverage?: LossAverage;
  /** β₁, the step size of K and C; default 1e-2. */
  readonly lrCov?: LrCov;
  /** Structures of (K and m_K, C and m_C); default `["dense", "dense"]`. Any name `structureFromName` knows. */
  readonly structures?: readonly [string, string];
  /** Default `"expand"`. */
  readonly kfacApprox?: SINGDKFACApproximation;
  /** IKFAC's update (Lin et al. 2024, Fig. 3); forces alpha1 to 0. Default false. */
  readonly kfacLike?: boolean;
  /** dtypes of (K, m_K) and (C, m_C); `null` means the weight's. Default `[null, null]`. */
  readonly preconditionerDtype?: readonly [FloatDType | null, FloatDType | null];
  /** Normalized gradient descent on K and C: β₁ / max(1, ‖m‖_max). Default false. */
  readonly normalizeLrCov?: boolean;
}

/** A parameter group: dotted parameter names (all of a layer's parameters in one group) and the options it overrides. */
export interface SINGDParamGroup extends SINGDHyperparameters {
  readonly params: readonly string[];
}

/** Options of {@link SINGD}: the hyper-parameters (defaults of every group), the groups, and where the step programs run. */
export interface SINGDOptions extends SINGDHyperparameters {
  /**
   * Which parameters SINGD trains: dotted names, or parameter groups. Default:
   * every parameter of every Linear and Conv2d layer.
   */
  readonly params?: readonly string[] | readonly SINGDParamGroup[];
  /** The gradient scale assumed for step −1 (SINGD's `init_grad_scale`); default 1. */
  readonly initGradScale?: number;
  /** Report parameters outside Linear and Conv2d layers, which SINGD does not train; default true. */
  readonly warnUnsupported?: boolean;
  /**
   * Reproduce SINGD's block-diagonal products, which skip transposes
   * (`rmatmat(X)` is `K X`, `from_inner` uses `K Kᵀ`): right only for
   * symmetric blocks, and K stops being symmetric after its second update.
   * Default false (curv uses the transposes); set it to compare with SINGD's
   * trajectories bit for bit.
   */
  readonly singdBlockDiagonalQuirk?: boolean;
  /** Where warnings go; default `console.warn`. */
  readonly onWarning?: (message: string) => void;
  /** The runtime of the step programs: `"js"`, `"ort"` (Node), `"ort-web"`; default as `compile`'s. */
  readonly runtime?: CompileOptions["runtime"];
  readonly providers?: CompileOptions["providers"];
  readonly threads?: number;
}

/** A group's hyper-parameters with every default filled in and every name resolved. */
export interface ResolvedHyperparameters {
  readonly lr: number;
  readonly momentum: number;
  readonly damping: number;
  readonly alpha1: number;
  readonly weightDecay: number;
  readonly T: number;
  readonly lossAverage: LossAverage;
  readonly lrCov: LrCov;
  readonly structures: readonly [Structure, Structure];
  readonly kfacApprox: SINGDKFACApproximation;
  readonly kfacLike: boolean;
  readonly preconditionerDtype: readonly [FloatDType | null, FloatDType | null];
  readonly normalizeLrCov: boolean;
}

/** SINGD's defaults. */
export const SINGD_DEFAULTS = Object.freeze({
  lr: 1e-3, momentum: 0.9, damping: 1e-3, alpha1: 0.5, weightDecay: 0, T: 10, lossAverage: "batch" as LossAverage,
  lrCov: 1e-2 as LrCov, structures: Object.freeze(["dense", "dense"]) as readonly [string, string],
  kfacApprox: "expand" as SINGDKFACApproximation, kfacLike: false,
  preconditionerDtype: Object.freeze([null, null]) as readonly [FloatDType | null, FloatDType | null],
  normalizeLrCov: false,
});

const LOSS_AVERAGES: readonly LossAverage[] = ["batch", "batch+sequence", null];

function nonNegative(value: unknown, name: string, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ValueError(`SINGD${where}: ${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

function dtypeOrNull(value: unknown, name: string, where: string): FloatDType | null {
  if (value === null || value === "float32" || value === "float64") return value;
  throw new ValueError(`SINGD${where}: ${name} must be "float32", "float64" or null, got ${JSON.stringify(value)}`);
}

/**
 * `group` over `defaults`, checked: SINGD's checks (lr, lrCov, alpha1,
 * momentum, weightDecay ≥ 0; kfacApprox and lossAverage known) plus T a
 * positive integer, damping finite, structure names known. `kfacLike` with
 * alpha1 ≠ 0 sets alpha1 to 0 and warns, as SINGD does.
 */
export function resolveHyperparameters(
  group: SINGDHyperparameters, defaults: SINGDHyperparameters, where: string, warn: (message: string) => void,
): ResolvedHyperparameters {
  const pick = <K extends keyof SINGDHyperparameters>(key: K): SINGDHyperparameters[K] =>
    (group[key] !== undefined ? group[key] : defaults[key] !== undefined ? defaults[key] : (SINGD_DEFAULTS as SINGDHyperparameters)[key]);
  const lr = nonNegative(pick("lr"), "lr", where);
  const momentum = nonNegative(pick("momentum"), "momentum", where);
  const weightDecay = nonNegative(pick("weightDecay"), "weightDecay", where);
  let alpha1 = nonNegative(pick("alpha1"), "alpha1", where);
  const damping = pick("damping");
  if (typeof damping !== "number" || !Number.isFinite(damping)) throw new ValueError(`SINGD${where}: damping must be a finite number, got ${String(damping)}`);
  const T = pick("T");
  if (typeof T !== "number" || !Number.isInteger(T) || T < 1) throw new ValueError(`SINGD${where}: T must be an integer ≥ 1, got ${String(T)}`);
  const lrCov = pick("lrCov") as LrCov;
  if (typeof lrCov !== "function") nonNegative(lrCov, "lrCov", where);
  const lossAverage = pick("lossAverage") as LossAverage;
  if (!LOSS_AVERAGES.includes(lossAverage)) throw new ValueError(`SINGD${where}: lossAverage must be "batch", "batch+sequence" or null, got ${JSON.stringify(lossAverage)}`);
  const kfacApprox = pick("kfacApprox");
  if (kfacApprox !== "expand" && kfacApprox !== "reduce") throw new ValueError(`SINGD${where}: kfacApprox must be "expand" or "reduce", got ${JSON.stringify(kfacApprox)}`);
  const names = pick("structures");
  if (!Array.isArray(names) || names.length !== 2) throw new ValueError(`SINGD${where}: structures must be a pair of structure names [K, C], got ${JSON.stringify(names)}`);
  const structures = names.map((name) => {
    try {
      return structureFromName(name);
    } catch (error) {
      throw new ValueError(`SINGD${where}: structures: ${(error as Error).message}`, { cause: error });
    }
  }) as [Structure, Structure];
  const dtypes = pick("preconditionerDtype");
  if (!Array.isArray(dtypes) || dtypes.length !== 2) throw new ValueError(`SINGD${where}: preconditionerDtype must be a pair [K, C], got ${JSON.stringify(dtypes)}`);
  const preconditionerDtype = [dtypeOrNull(dtypes[0], "preconditionerDtype[0]", where), dtypeOrNull(dtypes[1], "preconditionerDtype[1]", where)] as const;
  const kfacLike = pick("kfacLike") === true;
  if (kfacLike && alpha1 !== 0) {
    warn(`SINGD${where}: kfacLike is set with a non-zero Riemannian momentum (alpha1 = ${alpha1}); setting alpha1 to 0 (as SINGD does)`);
    alpha1 = 0;
  }
  return {
    lr, momentum, damping, alpha1, weightDecay, T, lossAverage, lrCov, structures, kfacApprox, kfacLike, preconditionerDtype,
    normalizeLrCov: pick("normalizeLrCov") === true,
  };
}

/** β₁ at `step`, checked (a schedule must return a finite number ≥ 0). */
export function lrCovAt(lrCov: LrCov, step: number, layer: string): number {
  const value = typeof lrCov === "function" ? lrCov(step) : lrCov;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ValueError(`SINGD: lrCov(${step}) for layer "${layer}" must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}
