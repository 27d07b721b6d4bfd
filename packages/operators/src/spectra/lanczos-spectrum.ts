import { Generator, Tensor, ValueError, type FloatDType } from "@curv/tensor";
import { asOperator, assertSquareOperator, checkInteger, checkPositive, type MatrixLike } from "../algorithm-inputs.js";
import type { LinearOperator } from "../linear-operator.js";
import { fastLanczos, type LanczosQuadrature } from "./fast-lanczos.js";
import {
  approximateBoundaries, approximateBoundariesAbs, checkBoundaries, type SpectrumBoundaries,
} from "./spectrum-boundaries.js";

/** A spectral density on a grid: `density[i] ≈ p(grid[i])`, both `[numPoints]` float64. */
export interface SpectralDensity {
  grid: Tensor<"float64">;
  density: Tensor<"float64">;
}

/** How the density is drawn from the quadratures (the hyperparameters the cached classes take per call). */
export interface DensityOptions {
  /** Lanczos runs (random starts) averaged; default 1 (Papyan 2020, section D.2). */
  numRepeats?: number;
  /** Grid resolution; default 1024. */
  numPoints?: number;
  /** Width of the Gaussian bumps on the normalized spectrum [-1, 1], `σ = 2 / (ncv − 1) / √(8 ln κ)`; must be > 1. */
  kappa?: number;
  /** Relative margin around the boundaries; default 0.05. */
  margin?: number;
}

/** Options of {@link lanczosApproximateSpectrum} (curvlinops' keyword arguments, plus the generator). */
export interface SpectrumOptions extends DensityOptions {
  /** Known `[λ_min, λ_max]` (either may be null); the rest is estimated with {@link eigsh}. */
  boundaries?: SpectrumBoundaries;
  /** Relative accuracy of the estimated boundaries (`eigsh`'s `tol`); default 1e-2, 0 for machine precision. */
  boundariesTol?: number;
  /** Draws the Lanczos starts and the eigensolver's start; default `new Generator(0)`. */
  generator?: Generator;
}

/** Options of {@link lanczosApproximateLogSpectrum}: `boundaries` are those of `|A|`. */
export interface LogSpectrumOptions extends SpectrumOptions {
  /** The shift in `log(|A| + εI)`; default 1e-5 (Papyan 2020, section D.2). */
  epsilon?: number;
}

interface Checked {
  operator: LinearOperator;
  ncv: number;
  generator: Generator;
  boundaries: SpectrumBoundaries;
  boundariesTol: number;
}

function checkSpectrumArguments<D extends FloatDType>(a: MatrixLike<D>, ncv: number, options: SpectrumOptions, who: string): Checked {
  const operator = asOperator(a, who);
  const n = assertSquareOperator(operator, who);
  checkInteger(ncv, who, "ncv", 2, n);
  const { generator = new Generator(0), boundariesTol = 1e-2 } = options;
  if (!(generator instanceof Generator)) throw new ValueError(`${who}: generator must be a Generator of @curv/tensor`);
  checkPositive(boundariesTol, who, "boundariesTol", { allowZero: true });
  return { operator, ncv, generator, boundaries: checkBoundaries(options.boundaries, who), boundariesTol };
}

function checkDensityOptions({ numRepeats = 1, numPoints = 1024, kappa, margin = 0.05 }: DensityOptions, kappaDefault: number, who: string) {
  checkInteger(numRepeats, who, "numRepeats", 1);
  checkInteger(numPoints, who, "numPoints", 2);
  const k = kappa ?? kappaDefault;
  if (typeof k !== "number" || !(k > 1) || !Number.isFinite(k)) throw new ValueError(`${who}: kappa must be a finite number > 1, got ${String(k)}`);
  checkPositive(margin, who, "margin", { allowZero: true });
  return { numRepeats, numPoints, kappa: k, margin };
}

/** `σ` of the Gaussian bumps on the normalized spectrum [-1, 1] (curvlinops' choice, after Papyan 2020). */
function bumpWidth(ncv: number, kappa: number): number {
  return 2 / (ncv - 1) / Math.sqrt(8 * Math.log(kappa));
}

function gaussian(x: number, sigma: number): number {
  return Math.exp(-0.5 * (x / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));
}

/**
 * The axis a density's Gaussian bumps live on: λ itself, or `log(|λ| + ε)`.
 * `toAxis` maps the boundaries and nodes onto it, `fromAxis` maps grid points
 * back, and `dLambda` is dλ/dt at a grid point, which turns a density in t
 * into a density in λ.
 */
interface SpectrumAxis {
  toAxis(lambda: number): number;
  fromAxis(t: number): number;
  dLambda(lambda: number): number;
}

const LINEAR_AXIS: SpectrumAxis = { toAxis: (lambda) => lambda, fromAxis: (t) => t, dLambda: () => 1 };

function logAxis(epsilon: number): SpectrumAxis {
  return { toAxis: (lambda) => Math.log(Math.abs(lambda) + epsilon), fromAxis: Math.exp, dLambda: (lambda) => lambda };
}

/**
 * The density of one quadrature on a grid of `numPoints` points spanning the
 * boundaries (padded by `margin`) on `axis`: Gaussian bumps at the normalized
 * nodes `(t(θ) − c)/d`, weighted by `w`, divided by `d · dλ/dt`.
 */
function densityOf(
  { nodes, weights }: LanczosQuadrature, boundaries: readonly [number, number], ncv: number, numPoints: number,
  kappa: number, margin: number, axis: SpectrumAxis,
): { grid: Float64Array; density: Float64Array } {
  const [low, high] = boundaries.map(axis.toAxis);
  const padding = margin * (high - low);
  const [min, max] = [low - padding, high + padding];
  const [c, d] = [(max + min) / 2, (max - min) / 2];
  const sigma = bumpWidth(ncv, kappa);
  const centers = Array.from(nodes, (node) => (axis.toAxis(node) - c) / d);
  const grid = new Float64Array(numPoints);
  const density = new Float64Array(numPoints);
  for (let p = 0; p < numPoints; p++) {
    const normalized = -1 + (2 * p) / (numPoints - 1);
    grid[p] = axis.fromAxis(normalized * d + c);
    for (let j = 0; j < centers.length; j++) density[p] += weights[j] * gaussian(normalized - centers[j], sigma);
    density[p] /= d * axis.dLambda(grid[p]);
  }
  return { grid, density };
}

function averaged(parts: readonly { grid: Float64Array; density: Float64Array }[]): SpectralDensity {
  const density = new Float64Array(parts[0].density.length);
  for (const part of parts) part.density.forEach((value, i) => (density[i] += value / parts.length));
  return { grid: new Tensor("float64", [density.length], parts[0].grid), density: new Tensor("float64", [density.length], density) };
}

/**
 * Caches Lanczos runs so densities with other hyperparameters cost no new
 * products (curvlinops' `LanczosApproximateSpectrumCached`). The boundaries
 * are estimated on the first call.
 *
 * @example
 * ```ts
 * const cached = new LanczosApproximateSpectrumCached(hessian, 128);
 * const sharp = await cached.approximateSpectrum({ numRepeats: 5, kappa: 1.1 });
 * const smooth = await cached.approximateSpectrum({ numRepeats: 5, kappa: 3 });  // no new products
 * ```
 */
export class LanczosApproximateSpectrumCached {
  protected readonly checked: Checked;
  private readonly runs: LanczosQuadrature[] = [];
  private boundaries: Promise<[number, number]> | undefined;
  /** The name errors carry. */
  static readonly displayName: string = "LanczosApproximateSpectrumCached";

  constructor(a: MatrixLike, ncv: number, options: Omit<SpectrumOptions, keyof DensityOptions> = {}) {
    this.checked = checkSpectrumArguments(a, ncv, options ?? {}, new.target.displayName);
  }

  protected get who(): string {
    return (this.constructor as typeof LanczosApproximateSpectrumCached).displayName;
  }

  /** The Lanczos quadratures of the first `count` runs (new runs as needed). */
  protected async quadratures(count: number): Promise<LanczosQuadrature[]> {
    while (this.runs.length < count) this.runs.push(await fastLanczos(this.checked.operator, this.checked.ncv, this.checked.generator, this.who));
    return this.runs.slice(0, count);
  }

  /** `[λ_min, λ_max]`: given, or estimated once. */
  spectrumBoundaries(): Promise<[number, number]> {
    const { operator, boundaries, boundariesTol, generator } = this.checked;
    this.boundaries ??= approximateBoundaries(operator, boundaries, boundariesTol, generator);
    return this.boundaries;
  }

  /** The spectral density `p(λ) = (1/n) Σ δ(λ − λᵢ)`, smoothed by Gaussian bumps (defaults: 1 repeat, 1024 points, κ = 3, margin 0.05). */
  async approximateSpectrum(options: DensityOptions = {}): Promise<SpectralDensity> {
    const { numRepeats, numPoints, kappa, margin } = checkDensityOptions(options ?? {}, 3, this.who);
    const boundaries = await this.spectrumBoundaries();
    const runs = await this.quadratures(numRepeats);
    return averaged(runs.map((run) => densityOf(run, boundaries, this.checked.ncv, numPoints, kappa, margin, LINEAR_AXIS)));
  }
}

/**
 * The log-spectrum variant (curvlinops' `LanczosApproximateLogSpectrumCached`):
 * boundaries are those of `|A|`.
 */
export class LanczosApproximateLogSpectrumCached extends LanczosApproximateSpectrumCached {
  private absBoundaries: Promise<[number, number]> | undefined;
  static override readonly displayName: string = "LanczosApproximateLogSpectrumCached";

  /** `[λ_min(|A|), λ_max(|A|)]`: given, or estimated once. */
  override spectrumBoundaries(): Promise<[number, number]> {
    const { operator, boundaries, boundariesTol, generator } = this.checked;
    this.absBoundaries ??= approximateBoundariesAbs(operator, boundaries, boundariesTol, generator);
    return this.absBoundaries;
  }

  /**
   * The density of `log(|A| + εI)` on a log-spaced grid (defaults: 1 repeat,
   * 1024 points, κ = 1.04, margin 0.05, ε = 1e-5). curvlinops' cached method
   * defaults to κ = 3 while its function uses 1.04; curv uses 1.04 for both.
   */
  async approximateLogSpectrum(options: DensityOptions & { epsilon?: number } = {}): Promise<SpectralDensity> {
    const { numRepeats, numPoints, kappa, margin } = checkDensityOptions(options ?? {}, 1.04, this.who);
    const epsilon = checkPositive(options?.epsilon ?? 1e-5, this.who, "epsilon");
    const boundaries = await this.spectrumBoundaries();
    const runs = await this.quadratures(numRepeats);
    return averaged(runs.map((run) => densityOf(run, boundaries, this.checked.ncv, numPoints, kappa, margin, logAxis(epsilon))));
  }
}

/**
 * The spectral density `p(λ) = (1/n) Σᵢ δ(λ − λᵢ)` of a symmetric operator by
 * Lanczos quadrature (Papyan 2020, Algorithm 2 "LanczosApproxSpec"),
 * curvlinops' `lanczos_approximate_spectrum`: `ncv` Lanczos steps without
 * reorthogonalization per repeat, nodes and weights from the tridiagonal
 * matrix, Gaussian bumps on the spectrum normalized to [-1, 1]. Boundaries not
 * given come from curv's {@link eigsh} with `boundariesTol`.
 *
 * @example
 * ```ts
 * const { grid, density } = await lanczosApproximateSpectrum(hessian, 128, { numRepeats: 10, generator: new Generator(0) });
 * ```
 */
export async function lanczosApproximateSpectrum(a: MatrixLike, ncv: number, options: SpectrumOptions = {}): Promise<SpectralDensity> {
  const { numRepeats, numPoints, kappa, margin, ...rest } = options ?? {};
  return new SpectrumCache(a, ncv, rest).approximateSpectrum({ numRepeats, numPoints, kappa, margin });
}

/**
 * The density of `log(|A| + εI)` (Papyan 2020, section C.7), curvlinops'
 * `lanczos_approximate_log_spectrum`; defaults κ = 1.04, ε = 1e-5, and the
 * boundaries are those of `|A|` (estimated with `eigsh`'s `"LM"` and `"SM"`).
 */
export async function lanczosApproximateLogSpectrum(a: MatrixLike, ncv: number, options: LogSpectrumOptions = {}): Promise<SpectralDensity> {
  const { numRepeats, numPoints, kappa, margin, epsilon, ...rest } = options ?? {};
  return new LogSpectrumCache(a, ncv, rest).approximateLogSpectrum({ numRepeats, numPoints, kappa, margin, epsilon });
}

// The functions name themselves in errors.
class SpectrumCache extends LanczosApproximateSpectrumCached {
  static override readonly displayName = "lanczosApproximateSpectrum";
}
class LogSpectrumCache extends LanczosApproximateLogSpectrumCached {
  static override readonly displayName = "lanczosApproximateLogSpectrum";
}
