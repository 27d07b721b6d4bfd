"""SINGD's own training step on PyTorch, for the `singd` bench suite's comparison.

The Fashion-MNIST CNN of the suite (SINGD's test CNN: Conv2d(1, 3, 5, stride 2),
ReLU, Flatten, Linear(432, 50), ReLU, Linear(50, 10)), batch 128 of standard-normal
1x28x28 images, float32 (SINGD's defaults otherwise, T = 10 as the curv side):
after 20 warm-up steps, the median over 7 calls of the time of 10 consecutive
steps (zero_grad, forward, cross-entropy, backward, step) divided by 10, so one
pre-conditioner update per call, for torch.optim.AdamW and SINGD with each
supported structure. Measured with 2 intra-op threads (as curv's ORT runs) and
with 1 thread, since on this 2-core machine, shared with other work, torch's
2-thread OpenMP pool spins and waits on a busy core: the 2-thread numbers then
swing by 10-50× (the 72 ms/step dense reading that disagreed with the
Fashion-MNIST app's 1-thread 4.7 ms/step came from that, not from the step).
Prints both and `best`, the faster of the two per entry, which the bench
compares against. Run alone, with Debian's PyTorch 1.13 and checkouts of
f-dangel/singd (1ac69a3), einops and einconv on PYTHONPATH:

    PYTHONPATH=singd:einops:einconv /usr/bin/python3 singd-pytorch-step.py [THREADS ...]

(thread counts to measure; default 1 2).
"""
import os
import json
import sys
import time

import torch
from torch import nn

from singd.optim.optimizer import SINGD

torch.manual_seed(0)
X = torch.randn(128, 1, 28, 28)
y = torch.arange(128) % 10


def cnn():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 3, 5, stride=2), nn.ReLU(), nn.Flatten(), nn.Linear(432, 50), nn.ReLU(), nn.Linear(50, 10)
    )


def ms_per_step(make, calls=7):
    model = cnn()
    opt = make(model)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss_fn(model(X), y).backward()
        opt.step()

    for _ in range(20):
        step()
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        for _ in range(10):
            step()
        times.append((time.perf_counter() - start) / 10 * 1e3)
    return sorted(times)[len(times) // 2]


def measure(threads):
    torch.set_num_threads(threads)
    results = {"adamw": ms_per_step(lambda m: torch.optim.AdamW(m.parameters()))}
    for structure in ["dense", "diagonal", "block30diagonal", "hierarchical15_15", "triltoeplitz", "triutoeplitz"]:
        results[structure] = ms_per_step(lambda m: SINGD(m, structures=(structure, structure), T=10, warn_unsupported=False))
    results["kfac_like"] = ms_per_step(lambda m: SINGD(m, structures=("dense", "dense"), T=10, kfac_like=True, warn_unsupported=False))
    return {k: round(v, 2) for k, v in results.items()}


thread_counts = [int(a) for a in sys.argv[1:]] or [1, 2]
by_threads = {threads: measure(threads) for threads in thread_counts}
best = {k: min(r[k] for r in by_threads.values()) for k in by_threads[thread_counts[0]]}
print(json.dumps({"load_average": os.getloadavg()[0], **{f"threads_{t}": r for t, r in by_threads.items()}, "best": best}))
