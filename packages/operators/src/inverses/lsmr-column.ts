/**
 * Why LSMR stopped on a column, SciPy's `istop`:
 * 0: `b = 0` or `Aᵀb = 0`, so `x = 0` solves it; 1: `Ax = b` within `atol`, `btol`;
 * 2: least-squares solution within `atol`; 3: `cond(A)` exceeded `conlim`;
 * 4, 5, 6: as 1, 2, 3 at machine precision; 7: `maxIter` reached.
 */
export type LSMRStop = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** What LSMR did on one column (SciPy's return values after `x`). */
export interface LSMRColumnRecord {
  /** `istop`. */
  stop: LSMRStop;
  /** `itn`: iterations run. */
  iterations: number;
  /** `normr`: `‖b − Ax‖` (with damping, of the augmented system). */
  normr: number;
  /** `normar`: `‖Aᵀ(b − Ax)‖`. */
  normar: number;
  /** `norma`: an estimate of `‖A‖_F`. */
  normA: number;
  /** `conda`: an estimate of `cond(A)`. */
  condA: number;
  /** `normx`: `‖x‖`. */
  normx: number;
}

interface Tolerances {
  atol: number;
  btol: number;
  conlim: number;
  maxIter: number;
  damp: number;
}

function norm(v: Float64Array): number {
  let sum = 0;
  for (const value of v) sum += value * value;
  return Math.sqrt(sum);
}

/** A stable Givens rotation `[c s; -s c] [a; b] = [r; 0]` (Fong & Saunders' `SymOrtho`). */
function symOrtho(a: number, b: number): [c: number, s: number, r: number] {
  if (b === 0) return [a === 0 ? 1 : Math.sign(a), 0, Math.abs(a)];
  if (a === 0) return [0, Math.sign(b), Math.abs(b)];
  if (Math.abs(b) > Math.abs(a)) {
    const tau = a / b;
    const s = Math.sign(b) / Math.sqrt(1 + tau * tau);
    return [s * tau, s, b / s];
  }
  const tau = b / a;
  const c = Math.sign(a) / Math.sqrt(1 + tau * tau);
  return [c, c * tau, a / c];
}

/**
 * The state of LSMR (Fong & Saunders 2011, Algorithm 1 with the residual
 * estimates of section 3.4) on one right-hand side. The operator products
 * happen outside, so that several columns can share one batched product:
 * `start` → (`startTranspose` with `Aᵀu`) → per iteration `advanceForward`
 * with `Av`, `advanceTranspose` with `Aᵀu` when `needsTranspose()`, then
 * `finishIteration`.
 */
export class LsmrColumn {
  x: Float64Array;
  u: Float64Array;
  v: Float64Array;
  private readonly n: number;
  private readonly tolerances: Tolerances;
  private stop: LSMRStop | undefined;
  private pendingTranspose = false;
  private iterations = 0;
  private normb = 0;
  private alpha = 0;
  private beta = 0;
  // Rotations and recurrences, named as in the paper.
  private zetabar = 0;
  private alphabar = 0;
  private rho = 1;
  private rhobar = 1;
  private cbar = 1;
  private sbar = 0;
  private h: Float64Array;
  private hbar: Float64Array;
  private betadd = 0;
  private betad = 0;
  private rhodold = 1;
  private tautildeold = 0;
  private thetatilde = 0;
  private zeta = 0;
  private d = 0;
  private normA2 = 0;
  private maxrbar = 0;
  private minrbar = 1e100;
  private normA = 0;
  private condA = 1;
  private normx = 0;
  private normr = 0;
  private normar = 0;

  constructor(n: number, tolerances: Tolerances) {
    this.n = n;
    this.tolerances = tolerances;
    this.x = new Float64Array(n);
    this.u = new Float64Array(n);
    this.v = new Float64Array(n);
    this.h = new Float64Array(n);
    this.hbar = new Float64Array(n);
  }

  start(b: Float64Array): void {
    this.normb = norm(b);
    this.beta = this.normb;
    this.normr = this.beta;
    if (this.beta > 0) {
      this.u = b.map((value) => value / this.beta);
      this.pendingTranspose = true;
    } else {
      this.stop = 0;
    }
  }

  startTranspose(atu: Float64Array): void {
    this.pendingTranspose = false;
    this.v = atu;
    this.alpha = norm(atu);
    if (this.alpha > 0) for (let i = 0; i < this.n; i++) this.v[i] /= this.alpha;
    this.zetabar = this.alpha * this.beta;
    this.alphabar = this.alpha;
    this.h = Float64Array.from(this.v);
    this.betadd = this.beta;
    this.normA2 = this.alpha * this.alpha;
    this.normA = Math.sqrt(this.normA2);
    this.normar = this.alpha * this.beta;
    if (this.normar === 0) this.stop = 0;
  }

  needsTranspose(): boolean {
    return this.pendingTranspose;
  }

  running(): boolean {
    return this.stop === undefined;
  }

  /** `βu ← Av − αu`. */
  advanceForward(av: Float64Array): void {
    this.iterations++;
    for (let i = 0; i < this.n; i++) this.u[i] = av[i] - this.alpha * this.u[i];
    this.beta = norm(this.u);
    if (this.beta > 0) {
      for (let i = 0; i < this.n; i++) this.u[i] /= this.beta;
      this.pendingTranspose = true;
    }
  }

  /** `αv ← Aᵀu − βv`. */
  advanceTranspose(atu: Float64Array): void {
    this.pendingTranspose = false;
    for (let i = 0; i < this.n; i++) this.v[i] = atu[i] - this.beta * this.v[i];
    this.alpha = norm(this.v);
    if (this.alpha > 0) for (let i = 0; i < this.n; i++) this.v[i] /= this.alpha;
  }

  /** The rotations, the updates of `x`, the norm estimates and the stopping tests of one iteration. */
  finishIteration(): void {
    const { atol, btol, conlim, maxIter, damp } = this.tolerances;
    const { alpha, beta } = this;
    const [chat, shat, alphahat] = symOrtho(this.alphabar, damp);
    const rhoold = this.rho;
    const [c, s, rho] = symOrtho(alphahat, beta);
    this.rho = rho;
    const thetanew = s * alpha;
    this.alphabar = c * alpha;
    const rhobarold = this.rhobar;
    const zetaold = this.zeta;
    const thetabar = this.sbar * rho;
    const rhotemp = this.cbar * rho;
    [this.cbar, this.sbar, this.rhobar] = symOrtho(this.cbar * rho, thetanew);
    this.zeta = this.cbar * this.zetabar;
    this.zetabar = -this.sbar * this.zetabar;

    const hbarScale = (thetabar * rho) / (rhoold * rhobarold);
    const xScale = this.zeta / (rho * this.rhobar);
    const hScale = thetanew / rho;
    for (let i = 0; i < this.n; i++) {
      this.hbar[i] = this.h[i] - hbarScale * this.hbar[i];
      this.x[i] += xScale * this.hbar[i];
      this.h[i] = this.v[i] - hScale * this.h[i];
    }

    // ‖r‖ (section 3.4).
    const betaacute = chat * this.betadd;
    const betacheck = -shat * this.betadd;
    const betahat = c * betaacute;
    this.betadd = -s * betaacute;
    const thetatildeold = this.thetatilde;
    const [ctildeold, stildeold, rhotildeold] = symOrtho(this.rhodold, thetabar);
    this.thetatilde = stildeold * this.rhobar;
    this.rhodold = ctildeold * this.rhobar;
    this.betad = -stildeold * this.betad + ctildeold * betahat;
    this.tautildeold = (zetaold - thetatildeold * this.tautildeold) / rhotildeold;
    const taud = (this.zeta - this.thetatilde * this.tautildeold) / this.rhodold;
    this.d += betacheck * betacheck;
    this.normr = Math.sqrt(this.d + (this.betad - taud) ** 2 + this.betadd ** 2);

    // ‖A‖ and cond(A) estimates.
    this.normA2 += beta * beta;
    this.normA = Math.sqrt(this.normA2);
    this.normA2 += alpha * alpha;
    this.maxrbar = Math.max(this.maxrbar, rhobarold);
    if (this.iterations > 1) this.minrbar = Math.min(this.minrbar, rhobarold);
    this.condA = Math.max(this.maxrbar, rhotemp) / Math.min(this.minrbar, rhotemp);

    // Stopping tests.
    this.normar = Math.abs(this.zetabar);
    this.normx = norm(this.x);
    const test1 = this.normr / this.normb;
    const test2 = this.normA * this.normr !== 0 ? this.normar / (this.normA * this.normr) : Infinity;
    const test3 = 1 / this.condA;
    const t1 = test1 / (1 + (this.normA * this.normx) / this.normb);
    const rtol = btol + (atol * this.normA * this.normx) / this.normb;
    const ctol = conlim > 0 ? 1 / conlim : 0;
    let stop: LSMRStop | undefined;
    if (this.iterations >= maxIter) stop = 7;
    if (1 + test3 <= 1) stop = 6;
    if (1 + test2 <= 1) stop = 5;
    if (1 + t1 <= 1) stop = 4;
    if (test3 <= ctol) stop = 3;
    if (test2 <= atol) stop = 2;
    if (test1 <= rtol) stop = 1;
    this.stop = stop;
  }

  record(): LSMRColumnRecord {
    return {
      stop: this.stop ?? 7, iterations: this.iterations, normr: this.normr, normar: this.normar,
      normA: this.normA, condA: this.condA, normx: this.normx,
    };
  }
}
