"""The PyTorch side of apps/singd-fashion-mnist: the same CNN, initial weights,
data order and hyper-parameters, trained by torch.optim.AdamW / torch.optim.SGD
and by SINGD's own optimizer; prints the final test accuracies.

First run the curv side, which writes the setup (initial weights, each epoch's
example order, hyper-parameters) into its output folder:

    pnpm --filter singd-fashion-mnist start -- --epochs 1 --out DIR

then, with Debian's PyTorch and checkouts of SINGD, einops and einconv (see
README.md, "The PyTorch side"):

    PYTHONPATH=$DEPS/singd:$DEPS/einops:$DEPS/einconv \\
      /usr/bin/python3 apps/singd-fashion-mnist/python/train_torch.py --setup DIR

It writes DIR/torch-results.json and prints a table beside curv's
(DIR/results.json) when that exists.
"""
import argparse
import gzip
import json
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

DATA_DIR = "/usr/share/datasets/fashion-mnist"
PIXEL_MEAN, PIXEL_STD = 0.286, 0.353
EVAL_BATCH = 1000


def read_idx(path, rank):
    """An IDX file of unsigned bytes: magic 0x000008<rank>, big-endian uint32 extents, data."""
    raw = gzip.open(path, "rb").read()
    assert raw[:3] == b"\x00\x00\x08" and raw[3] == rank, f"{path}: not an IDX file of bytes with rank {rank}"
    dims = np.frombuffer(raw, dtype=">u4", count=rank, offset=4)
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(*dims)


def read_split(split, data_dir):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(Path(data_dir, f"{prefix}-images-idx3-ubyte.gz"), 3)
    labels = read_idx(Path(data_dir, f"{prefix}-labels-idx1-ubyte.gz"), 1)
    # The same float32 arithmetic as batches.ts: (p / 255 - mean) / std.
    X = (images.astype(np.float32) / np.float32(255) - np.float32(PIXEL_MEAN)) / np.float32(PIXEL_STD)
    return torch.from_numpy(X[:, None, :, :].copy()), torch.from_numpy(labels.astype(np.int64))


def cnn():
    """SINGD's test CNN (apps/singd-fashion-mnist/src/cnn.ts)."""
    return nn.Sequential(nn.Conv2d(1, 3, 5, stride=2), nn.ReLU(), nn.Flatten(), nn.Linear(432, 50), nn.ReLU(), nn.Linear(50, 10))


def make_optimizer(name, model, settings):
    options = settings["optimizers"]
    if name == "AdamW":
        o = options["AdamW"]
        return torch.optim.AdamW(model.parameters(), lr=o["lr"], betas=tuple(o["betas"]), eps=o["eps"], weight_decay=o["weightDecay"])
    if name == "SGD":
        o = options["SGD"]
        return torch.optim.SGD(model.parameters(), lr=o["lr"], momentum=o["momentum"], dampening=o["dampening"], weight_decay=o["weightDecay"], nesterov=o["nesterov"])
    from singd.optim.optimizer import SINGD

    variant = next(v for v in options["SINGDVariants"] if v["name"] == name)
    o = options["SINGD"]
    return SINGD(
        model,
        lr=o["lr"], momentum=o["momentum"], damping=o["damping"], alpha1=variant.get("alpha1", o["alpha1"]),
        weight_decay=o["weightDecay"], T=o["T"], lr_cov=o["lrCov"], loss_average=o["lossAverage"],
        kfac_approx=o["kfacApprox"], normalize_lr_cov=o["normalizeLrCov"],
        structures=tuple(variant["structures"]), kfac_like=variant.get("kfacLike", False),
    )


def accuracy(model, X, y):
    with torch.no_grad():
        correct = sum((model(X[i : i + EVAL_BATCH]).argmax(1) == y[i : i + EVAL_BATCH]).sum().item() for i in range(0, len(y), EVAL_BATCH))
    return correct / len(y)


def train(name, settings, setup, train_data, test_data):
    model = cnn()
    model.load_state_dict({k: torch.from_numpy(setup[k]) for k in model.state_dict()})
    optimizer = make_optimizer(name, model, settings)
    loss_function = nn.CrossEntropyLoss()
    X, y = train_data
    batch = settings["batchSize"]
    losses, seconds = [], []
    for epoch in range(settings["epochs"]):
        order = torch.from_numpy(setup[f"order.{epoch}"].astype(np.int64))
        start = time.perf_counter()
        for i in range(0, len(order), batch):
            idx = order[i : i + batch]
            optimizer.zero_grad()
            loss = loss_function(model(X[idx]), y[idx])
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        seconds.append(time.perf_counter() - start)
    return {"name": name, "accuracy": accuracy(model, *test_data), "losses": losses, "epochSeconds": seconds}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--setup", required=True, help="the curv side's output folder (settings.json, torch-setup.npz)")
    parser.add_argument("--data", default=DATA_DIR, help="folder of the Fashion-MNIST IDX files")
    parser.add_argument("--optimizers", default=None, help="comma-separated names (default: those the curv side ran)")
    args = parser.parse_args()
    setup_dir = Path(args.setup)
    settings = json.loads((setup_dir / "settings.json").read_text())
    setup = np.load(setup_dir / "torch-setup.npz")
    torch.manual_seed(settings["seed"])
    train_data = read_split("train", args.data)
    X_test, y_test = read_split("test", args.data)
    limit = settings["testLimit"] or len(y_test)
    test_data = (X_test[:limit], y_test[:limit])
    names = args.optimizers.split(",") if args.optimizers else settings["run"]
    results = []
    for name in names:
        result = train(name, settings, setup, train_data, test_data)
        print(f"{name}: test accuracy {100 * result['accuracy']:.2f}%, {sum(result['epochSeconds']):.1f} s of steps, last loss {result['losses'][-1]:.4f}", flush=True)
        results.append(result)
    environment = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    (setup_dir / "torch-results.json").write_text(json.dumps({"environment": environment, "results": results}))
    curv = {}
    if (setup_dir / "results.json").exists():
        for r in json.loads((setup_dir / "results.json").read_text())["results"]:
            curv[r["name"]] = r["evaluations"][-1]["accuracy"]
    print("\n| optimizer | curv test accuracy | PyTorch test accuracy | difference (points) |\n|---|---|---|---|")
    for r in results:
        c = curv.get(r["name"])
        curv_text = "—" if c is None else f"{100 * c:.2f}%"
        diff = "—" if c is None else f"{100 * (c - r['accuracy']):+.2f}"
        print(f"| {r['name']} | {curv_text} | {100 * r['accuracy']:.2f}% | {diff} |")


if __name__ == "__main__":
    main()
