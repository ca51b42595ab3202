"""Train a CNN on MNIST (or Fashion-MNIST) with minitorch, written as ordinary PyTorch code.

    python examples/train_mnist.py                       # LeNet-5, 3 epochs, Adam
    python examples/train_mnist.py --model cnn --epochs 2
    python examples/train_mnist.py --dataset fashion-mnist --epochs 5
    python examples/train_mnist.py --resume              # continue from the last checkpoint
    python -m minitorch.distributed.run --nproc-per-node 2 examples/train_mnist.py   # 2 ranks, DDP

Each epoch: a progress bar with running loss, accuracy and images/s, then a test pass,
then a checkpoint. At the end: a training-curve PNG and a confusion-matrix PNG.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import minitorch as torch  # noqa: E402  (the point: the rest reads as PyTorch)
import minitorch.nn.functional as F  # noqa: E402
import minitorch.distributed as dist  # noqa: E402
from minitorch.nn.parallel import DistributedDataParallel  # noqa: E402
from minitorch.utils.data import DataLoader, DistributedSampler  # noqa: E402
from minitorch.vision import datasets, transforms  # noqa: E402
from mnist_models import MODELS, build_model  # noqa: E402

NORMALIZE = {"mnist": ((0.1307,), (0.3081,)), "fashion-mnist": ((0.2860,), (0.3530,))}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", choices=MODELS, default="lenet")
    p.add_argument("--dataset", choices=sorted(NORMALIZE), default="mnist")
    p.add_argument("--data", default=os.environ.get("MINITORCH_DATA"),
                   help="folder holding the IDX files (default: the vendored MNIST / system copies)")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=None, help="default: 2e-3 for adam, 0.05 for sgd")
    p.add_argument("--optimizer", choices=("sgd", "adam"), default="adam")
    p.add_argument("--schedule", choices=("onecycle", "constant"), default="onecycle",
                   help="learning-rate schedule over the whole run (onecycle peaks at --lr)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workers", type=int, default=0)
    p.add_argument("--checkpoint", default=None, help="default: checkpoints/<model>-<dataset>.pt")
    p.add_argument("--resume", action="store_true", help="continue from --checkpoint")
    p.add_argument("--tensorboard", nargs="?", const="", default=None, metavar="LOGDIR",
                   help="log to TensorBoard (default folder runs/<date>_<host>)")
    p.add_argument("--out", default="out", help="folder for the PNG figures")
    p.add_argument("--train-limit", type=int, default=None, help="use only the first N training images")
    p.add_argument("--test-limit", type=int, default=None, help="evaluate on only the first N test images")
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    args.lr = args.lr or (2e-3 if args.optimizer == "adam" else 0.05)
    args.checkpoint = args.checkpoint or os.path.join("checkpoints", f"{args.model}-{args.dataset}.pt")
    return args


def launched_on_several_ranks() -> bool:
    """True when started by minitorch.distributed.run/torchrun (WORLD_SIZE) or mpiexec (PMI_SIZE)."""
    return int(os.environ.get("WORLD_SIZE", os.environ.get("PMI_SIZE", "1"))) > 1


def make_loaders(args: argparse.Namespace) -> tuple[DataLoader, DataLoader, list[str]]:
    mean, std = NORMALIZE[args.dataset]
    pipeline = transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean, std)])
    Dataset = datasets.MNIST if args.dataset == "mnist" else datasets.FashionMNIST
    train = Dataset(args.data, train=True, transform=pipeline)
    test = Dataset(args.data, train=False, transform=pipeline)
    if args.train_limit:
        train = torch.utils.data.Subset(train, range(args.train_limit))
    if args.test_limit:
        test = torch.utils.data.Subset(test, range(args.test_limit))
    if dist.is_initialized():
        # each rank takes every world_size-th image of a shared shuffle, and a share of the batch,
        # so one step still sees args.batch_size images in total
        sampler = DistributedSampler(train, shuffle=True, seed=args.seed)
        train_loader = DataLoader(train, batch_size=args.batch_size // dist.get_world_size(), sampler=sampler,
                                  num_workers=args.workers)
    else:
        train_loader = DataLoader(train, batch_size=args.batch_size, shuffle=True, num_workers=args.workers)
    test_loader = DataLoader(test, batch_size=1000, num_workers=args.workers)
    return train_loader, test_loader, list(Dataset.classes)


def train_epoch(model, loader, optimizer, scheduler, epoch: int, args, writer) -> tuple[float, float, float]:
    """One pass over the training set; returns (mean loss, accuracy, images per second)."""
    from tqdm import tqdm
    model.train()
    total_loss = correct = seen = 0
    start = time.perf_counter()
    bar = tqdm(loader, desc=f"epoch {epoch}", unit="batch", disable=args.no_progress, leave=True)
    for step, (images, labels) in enumerate(bar):
        optimizer.zero_grad()
        logits = model(images)
        loss = F.cross_entropy(logits, labels)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        n = labels.shape[0]
        total_loss += loss.item() * n
        correct += (logits.argmax(dim=1) == labels).sum().item()
        seen += n
        rate = seen / (time.perf_counter() - start)
        bar.set_postfix(loss=f"{total_loss / seen:.4f}", acc=f"{correct / seen:.4f}", img_s=f"{rate:.0f}")
        if writer is not None and step % 50 == 0:
            writer.add_scalar("train/loss", loss.item(), (epoch - 1) * len(loader) + step)
    return total_loss / seen, correct / seen, seen / (time.perf_counter() - start)


@torch.no_grad()
def evaluate(model, loader) -> tuple[float, float, np.ndarray]:
    """Mean loss, accuracy and the 10x10 confusion matrix (rows: true class) on `loader`."""
    model.eval()
    total_loss = correct = seen = 0
    confusion = np.zeros((10, 10), dtype=np.int64)
    for images, labels in loader:
        logits = model(images)
        total_loss += F.cross_entropy(logits, labels, reduction="sum").item()
        predicted = logits.argmax(dim=1)
        correct += (predicted == labels).sum().item()
        seen += labels.shape[0]
        np.add.at(confusion, (labels.numpy(), predicted.numpy()), 1)
    return total_loss / seen, correct / seen, confusion


def save_figures(history: list[dict], confusion: np.ndarray, classes: list[str], args) -> list[str]:
    import matplotlib
    import matplotlib.ticker
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    os.makedirs(args.out, exist_ok=True)
    stem = os.path.join(args.out, f"{args.model}-{args.dataset}")
    epochs = [h["epoch"] for h in history]
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4))
    ax_loss.plot(epochs, [h["train_loss"] for h in history], "o-", label="train")
    ax_loss.plot(epochs, [h["test_loss"] for h in history], "o-", label="test")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy", title="loss")
    ax_acc.plot(epochs, [h["train_acc"] for h in history], "o-", label="train")
    ax_acc.plot(epochs, [h["test_acc"] for h in history], "o-", label="test")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title="accuracy")
    for ax in (ax_loss, ax_acc):
        ax.legend()
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    fig.suptitle(f"minitorch {args.model} on {args.dataset}")
    fig.tight_layout()
    fig.savefig(stem + "-curves.png", dpi=100)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 6))
    image = ax.imshow(confusion, cmap="Blues")
    labels = [c.split(" - ")[-1] for c in classes]
    ax.set(xticks=range(10), yticks=range(10), xlabel="predicted", ylabel="true",
           title=f"confusion matrix, test accuracy {np.trace(confusion) / confusion.sum():.2%}")
    ax.set_xticklabels(labels, rotation=45, ha="right")
    ax.set_yticklabels(labels)
    for i in range(10):
        for j in range(10):
            ax.text(j, i, confusion[i, j], ha="center", va="center", fontsize=7,
                    color="white" if confusion[i, j] > confusion.max() / 2 else "black")
    fig.colorbar(image)
    fig.tight_layout()
    fig.savefig(stem + "-confusion.png", dpi=100)
    plt.close(fig)
    return [stem + "-curves.png", stem + "-confusion.png"]


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    if launched_on_several_ranks() and not dist.is_initialized():
        dist.init_process_group("mpi")
    is_main = not dist.is_initialized() or dist.get_rank() == 0
    if not is_main:                       # only rank 0 prints and writes files
        sys.stdout, args.no_progress = open(os.devnull, "w"), True
    torch.manual_seed(args.seed)
    train_loader, test_loader, classes = make_loaders(args)
    model = build_model(args.model, torch)
    if dist.is_initialized():
        model = DistributedDataParallel(model)
    optimizer = (torch.optim.Adam(model.parameters(), lr=args.lr) if args.optimizer == "adam"
                 else torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9))
    scheduler = None
    if args.schedule == "onecycle":
        scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, epochs=args.epochs,
                                                        steps_per_epoch=len(train_loader))
    history: list[dict] = []
    first_epoch = 1
    if args.resume:
        if not os.path.exists(args.checkpoint):
            raise SystemExit(f"--resume: no checkpoint at {args.checkpoint}")
        state = torch.load(args.checkpoint)
        getattr(model, "module", model).load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        if scheduler is not None:
            scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["rng_state"])
        history = json.loads(state["history"])
        first_epoch = state["epoch"] + 1
        print(f"resumed from {args.checkpoint} after epoch {state['epoch']}")
    writer = None
    if args.tensorboard is not None and is_main:
        from minitorch.utils.tensorboard import SummaryWriter
        writer = SummaryWriter(args.tensorboard or None, comment=f"_{args.model}_{args.dataset}")
        writer.add_graph(model, next(iter(test_loader))[0][:2])
    print(f"{args.model} on {args.dataset}: {sum(p.numel() for p in model.parameters()):,} parameters, "
          f"{len(train_loader.dataset):,} training images, {args.optimizer} lr={args.lr}")
    confusion = None
    for epoch in range(first_epoch, args.epochs + 1):
        if isinstance(train_loader.sampler, DistributedSampler):
            train_loader.sampler.set_epoch(epoch)
        train_loss, train_acc, rate = train_epoch(model, train_loader, optimizer, scheduler, epoch, args, writer)
        test_loss, test_acc, confusion = evaluate(model, test_loader)
        history.append(dict(epoch=epoch, train_loss=train_loss, train_acc=train_acc, test_loss=test_loss,
                            test_acc=test_acc, images_per_s=rate))
        print(f"epoch {epoch}: train loss {train_loss:.4f} acc {train_acc:.4f} | test loss {test_loss:.4f} "
              f"acc {test_acc:.4f} | {rate:.0f} images/s")
        if writer is not None:
            for name, value in history[-1].items():
                if name != "epoch":
                    writer.add_scalar(f"epoch/{name}", value, epoch)
        if is_main:                       # written to a temporary file, then renamed: never half-written
            os.makedirs(os.path.dirname(args.checkpoint) or ".", exist_ok=True)
            torch.save({"epoch": epoch, "model": getattr(model, "module", model).state_dict(),
                        "optimizer": optimizer.state_dict(),
                        "scheduler": scheduler.state_dict() if scheduler is not None else None,
                        "rng_state": torch.get_rng_state(), "history": json.dumps(history)}, args.checkpoint + ".tmp")
            os.replace(args.checkpoint + ".tmp", args.checkpoint)
    if writer is not None:
        writer.close()
    if confusion is None:
        _, _, confusion = evaluate(model, test_loader)
    figures = save_figures(history, confusion, classes, args) if history and is_main else []
    print("figures:", ", ".join(figures) if figures else "none", "| checkpoint:", args.checkpoint)
    return {"history": history, "figures": figures, "model": model}


if __name__ == "__main__":
    main()
