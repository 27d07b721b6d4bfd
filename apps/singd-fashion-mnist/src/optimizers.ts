/**
 * The optimizer configurations the app compares. The hyper-parameters are
 * data, written to `settings.json`, so the PyTorch side
 * (python/train_torch.py) builds torch.optim's and SINGD's optimizers with
 * exactly these values.
 */
import { AdamW, SGD, SINGD, type SINGDHyperparameters } from "@curv/singd";
import type { OptimizerEntry, Trainer } from "./train.js";

/** AdamW with PyTorch's defaults. */
export const ADAMW_OPTIONS = { lr: 1e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 1e-2 };
/** SGD with heavy-ball momentum. */
export const SGD_OPTIONS = { lr: 0.01, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false };

/** What every SINGD variant shares: SINGD's defaults except lr (0.05, as SGD's; SINGD's 1e-3 barely moves in one epoch). */
export const SINGD_OPTIONS = {
  lr: 0.01, momentum: 0.9, damping: 1e-3, alpha1: 0.5, weightDecay: 0, T: 10, lrCov: 0.01, lossAverage: "batch", kfacApprox: "expand", normalizeLrCov: false,
} as const satisfies SINGDHyperparameters;

/** The SINGD variants: structures of (K, C), and IKFAC's update for "KFAC-like". */
export const SINGD_VARIANTS: readonly { name: string; structures: [string, string]; kfacLike?: boolean; alpha1?: number }[] = [
  { name: "SINGD-dense", structures: ["dense", "dense"] },
  { name: "SINGD-diagonal", structures: ["diagonal", "diagonal"] },
  { name: "SINGD-block30diagonal", structures: ["block30diagonal", "block30diagonal"] },
  { name: "SINGD-hierarchical15_15", structures: ["hierarchical15_15", "hierarchical15_15"] },
  { name: "SINGD-triltoeplitz", structures: ["triltoeplitz", "triltoeplitz"] },
  { name: "SINGD-KFAC-like", structures: ["dense", "dense"], kfacLike: true, alpha1: 0 },
];

/** Every configuration, in the order of the table. */
export function optimizerEntries({ singdBlockDiagonalQuirk = false }: { singdBlockDiagonalQuirk?: boolean } = {}): OptimizerEntry[] {
  const singd = SINGD_VARIANTS.map(({ name, structures, kfacLike = false, alpha1 = SINGD_OPTIONS.alpha1 }): OptimizerEntry => ({
    name,
    create: (model, loss, runtime) => new SINGD(model, loss, { ...SINGD_OPTIONS, structures, kfacLike, alpha1, singdBlockDiagonalQuirk, ...runtime }),
    preconditionerBytes: (trainer: Trainer) => preconditionerBytes(trainer as SINGD),
  }));
  return [
    ...singd,
    { name: "AdamW", create: (model, loss, runtime) => new AdamW(model, loss, { ...ADAMW_OPTIONS, ...runtime }) },
    { name: "SGD", create: (model, loss, runtime) => new SGD(model, loss, { ...SGD_OPTIONS, ...runtime }) },
  ];
}

/** Bytes of K, C, m_K and m_C over every layer. */
function preconditionerBytes(singd: SINGD): number {
  let bytes = 0;
  for (const p of singd.preconditioners.values()) bytes += p.K.byteLength + p.C.byteLength + (p.mK?.byteLength ?? 0) + (p.mC?.byteLength ?? 0);
  return bytes;
}
