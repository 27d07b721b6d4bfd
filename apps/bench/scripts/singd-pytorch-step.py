"""SINGD's own training step on PyTorch, for the `singd` bench suite's comparison.

The Fashion-MNIST CNN of the suite (SINGD's test CNN: Conv2d(1, 3, 5, stride 2),
ReLU, Flatten, Linear(432, 50), ReLU, Linear(50, 10)), batch 128 of standard-normal
1x28x28 images, float32, 2 threads: the median time of 10 consecutive steps
(zero_grad, forward, cross-entropy, backward, step) divided by 10, for
torch.optim.AdamW and SINGD with each supported structure (T = 10, so one
pre-conditioner update per call). Run with Debian's PyTorch 1.13 and checkouts of
f-dangel/singd (1ac69a3), einops and einconv on PYTHONPATH:

    PYTHONPATH=singd:einops:einconv /usr/bin/python3 singd-pytorch-step.py
"""
import json
import time

import torch
from torch import nn

from singd.optim.optimizer import SINGD

torch.set_num_threads(2)
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

    for _ in range(10):
        step()
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        for _ in range(10):
            step()
        times.append((time.perf_counter() - start) / 10 * 1e3)
    return sorted(times)[len(times) // 2]


results = {"adamw": ms_per_step(lambda m: torch.optim.AdamW(m.parameters()))}
for structure in ["dense", "diagonal", "block30diagonal", "hierarchical15_15", "triltoeplitz", "triutoeplitz"]:
    results[structure] = ms_per_step(lambda m: SINGD(m, structures=(structure, structure), T=10, warn_unsupported=False))
print(json.dumps({k: round(v, 2) for k, v in results.items()}))
