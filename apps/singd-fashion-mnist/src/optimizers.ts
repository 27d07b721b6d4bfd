/**
 * The optimizer configurations the app compares, with the hyper-parameters
 * the PyTorch side (python/train_torch.py) uses too.
 */
import { AdamW, SGD } from "@curv/singd";
import type { OptimizerEntry } from "./train.js";

/** AdamW with PyTorch's defaults except the step size. */
export const ADAMW_OPTIONS = { lr: 1e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 1e-2 };
/** SGD with Nesterov-free heavy-ball momentum. */
export const SGD_OPTIONS = { lr: 0.05, momentum: 0.9, weightDecay: 0 };

/** Every configuration, by name. */
export function optimizerEntries(): OptimizerEntry[] {
  return [
    { name: "AdamW", create: (model, loss, compile) => new AdamW(model, loss, { ...ADAMW_OPTIONS, compile }) },
    { name: "SGD", create: (model, loss, compile) => new SGD(model, loss, { ...SGD_OPTIONS, compile }) },
  ];
}
