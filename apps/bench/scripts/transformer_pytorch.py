"""PyTorch's time for the `transformer` bench suite: gradient, HVP and
GGN-vector product of mean cross-entropy for a 2-layer Transformer encoder
(d = 128, 4 heads, feed-forward 512, dropout 0, batch_first), mean over 64
tokens, Linear(128, 10), batch 32, float32, 2 threads. Median ms of 20 runs
after 3 warm-ups. Run with /usr/bin/python3 (Debian's python3-torch)."""
import statistics
import time

import torch

torch.manual_seed(0)
torch.set_num_threads(2)
encoder = torch.nn.TransformerEncoder(
    torch.nn.TransformerEncoderLayer(128, 4, dim_feedforward=512, dropout=0.0, batch_first=True), num_layers=2, enable_nested_tensor=False
)
head = torch.nn.Linear(128, 10)
params = list(encoder.parameters()) + list(head.parameters())
x = torch.randn(32, 64, 128)
y = torch.randint(0, 10, (32,))
v = [torch.randn_like(p) for p in params]


def forward():
    return head(encoder(x).mean(dim=1))


def gradient():
    return torch.autograd.grad(torch.nn.functional.cross_entropy(forward(), y), params)


def hvp():
    g = torch.autograd.grad(torch.nn.functional.cross_entropy(forward(), y), params, create_graph=True)
    return torch.autograd.grad(sum((gi * vi).sum() for gi, vi in zip(g, v)), params)


def ggnvp():
    f = forward()
    u = torch.zeros_like(f, requires_grad=True)
    jt_u = torch.autograd.grad(f, params, u, create_graph=True)
    jv = torch.autograd.grad(sum((a * b).sum() for a, b in zip(jt_u, v)), u)[0]
    p = torch.softmax(f.detach(), dim=1)
    hjv = (p * jv - p * (p * jv).sum(dim=1, keepdim=True)) / f.shape[0]
    return torch.autograd.grad(f, params, hjv)


for name, fn in [("gradient", gradient), ("hvp", hvp), ("ggnvp", ggnvp)]:
    for _ in range(3):
        fn()
    times = []
    for _ in range(20):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    print(f"{name} {statistics.median(times):.1f} ms")
