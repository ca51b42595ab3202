"""DataLoader semantics: batching, shuffling, samplers, collation, workers (order, errors, shutdown)."""
import collections
import os
import time

import numpy as np
import pytest
import torch

import minitorch
from minitorch.utils.data import (BatchSampler, ConcatDataset, DataLoader, Dataset, IterableDataset,
                                  RandomSampler, SequentialSampler, Subset, SubsetRandomSampler,
                                  TensorDataset, WeightedRandomSampler, default_collate, get_worker_info,
                                  random_split)


class Squares(Dataset):
    def __init__(self, n=10):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError(i)
        return minitorch.tensor([float(i)]), i * i


class Failing(Squares):
    def __getitem__(self, i):
        if i == 7:
            raise ValueError("bad sample 7")
        return super().__getitem__(i)


class Stream(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(start, self.n, step))

    def __len__(self):
        return self.n


def _labels(loader):
    return [int(v) for _, labels in loader for v in labels.tolist()]


def test_batches_and_collation_match_torch():
    ours = list(DataLoader(Squares(10), batch_size=4))
    assert [tuple(x.shape) for x, _ in ours] == [(4, 1), (4, 1), (2, 1)]
    assert ours[0][1].dtype is minitorch.int64 and ours[0][1].tolist() == [0, 1, 4, 9]
    assert len(DataLoader(Squares(10), batch_size=4)) == 3
    assert len(DataLoader(Squares(10), batch_size=4, drop_last=True)) == 2
    assert [len(y) for _, y in DataLoader(Squares(10), batch_size=4, drop_last=True)] == [4, 4]


def test_shuffle_visits_every_index_once_per_epoch_and_follows_seed():
    loader = DataLoader(Squares(50), batch_size=8, shuffle=True)
    minitorch.manual_seed(3)
    first = _labels(loader)
    second = _labels(loader)
    assert sorted(first) == sorted(second) == [i * i for i in range(50)]
    assert first != second
    minitorch.manual_seed(3)
    assert _labels(loader) == first


def test_default_collate_matches_torch_on_nested_structures():
    Point = collections.namedtuple("Point", "x y")
    samples = [{"a": np.array([i, i + 1.0]), "b": (i, 0.5 * i, "s"), "p": Point(i, True)} for i in range(3)]
    ours = default_collate(samples)
    theirs = torch.utils.data.default_collate(samples)
    assert ours["a"].dtype.name == str(theirs["a"].dtype)[6:] and ours["a"].tolist() == theirs["a"].tolist()
    for o, t in zip(ours["b"][:2], theirs["b"][:2]):
        assert o.dtype.name == str(t.dtype)[6:] and o.tolist() == t.tolist()
    assert ours["b"][2] == theirs["b"][2] == ("s", "s", "s")
    assert isinstance(ours["p"], Point) and ours["p"].y.dtype is minitorch.bool
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([[1, 2], [1]])


def test_batch_size_none_converts_without_batching():
    loader = DataLoader(TensorDataset(minitorch.arange(3)), batch_size=None)
    assert [t[0].item() for t in loader] == [0, 1, 2]


def test_samplers():
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3]
    minitorch.manual_seed(0)
    assert sorted(RandomSampler(range(6))) == list(range(6))
    drawn = list(RandomSampler(range(3), replacement=True, num_samples=20))
    assert len(drawn) == 20 and set(drawn) <= {0, 1, 2}
    assert len(list(RandomSampler(range(3), num_samples=7))) == 7
    assert sorted(SubsetRandomSampler([5, 7, 9])) == [5, 7, 9]
    weighted = list(WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], 1000))
    assert set(weighted) == {1, 3} and 0.65 < weighted.count(3) / 1000 < 0.85
    assert list(BatchSampler(range(5), 2, drop_last=False)) == [[0, 1], [2, 3], [4]]
    assert len(BatchSampler(range(5), 2, drop_last=True)) == 2
    with pytest.raises(ValueError, match="batch_size"):
        BatchSampler(range(5), 0, False)
    with pytest.raises(ValueError, match="num_samples"):
        RandomSampler(range(3), num_samples=0)


def test_custom_sampler_and_batch_sampler():
    loader = DataLoader(Squares(6), sampler=[5, 0, 3], batch_size=2)
    assert _labels(loader) == [25, 0, 9]
    loader = DataLoader(Squares(6), batch_sampler=[[1, 2], [0]])
    assert _labels(loader) == [1, 4, 0]


@pytest.mark.parametrize("kwargs,match", [
    (dict(shuffle=True, sampler=[0]), "mutually exclusive with shuffle"),
    (dict(batch_sampler=[[0]], batch_size=2), "mutually exclusive"),
    (dict(num_workers=-1), "non-negative"),
    (dict(prefetch_factor=2), "prefetch_factor"),
    (dict(persistent_workers=True), "num_workers > 0"),
    (dict(timeout=-1), "non-negative"),
    (dict(batch_size=None, drop_last=True), "drop_last"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        DataLoader(Squares(4), **kwargs)


def test_datasets_combine_and_split():
    data = TensorDataset(minitorch.arange(10), minitorch.arange(10) * 2)
    assert data[3][1].item() == 6 and len(data) == 10
    both = ConcatDataset([data, Subset(data, [9, 8])])
    assert len(both) == 12 and both[11][0].item() == 8 and both[-1][0].item() == 8
    a, b = random_split(range(10), [7, 3], generator=minitorch.Generator().manual_seed(1))
    assert sorted(list(a) + list(b)) == list(range(10)) and len(a) == 7
    parts = random_split(range(10), [0.5, 0.3, 0.2])
    assert [len(p) for p in parts] == [5, 3, 2]
    with pytest.raises(ValueError, match="Sum of input lengths"):
        random_split(range(10), [5, 6])
    with pytest.raises(AssertionError, match="Size mismatch"):
        TensorDataset(minitorch.zeros(3), minitorch.zeros(4))


def test_workers_return_batches_in_order_like_single_process():
    single = _labels(DataLoader(Squares(37), batch_size=5))
    multi = _labels(DataLoader(Squares(37), batch_size=5, num_workers=2))
    assert multi == single


def test_workers_run_in_other_processes_with_worker_info():
    class WhoAmI(Dataset):
        def __len__(self):
            return 8

        def __getitem__(self, i):
            info = get_worker_info()
            return os.getpid(), info.id, info.num_workers

    pids, ids, counts = zip(*[(p, w, n) for batch in DataLoader(WhoAmI(), batch_size=2, num_workers=2)
                              for p, w, n in zip(*[b.tolist() for b in batch])])
    assert os.getpid() not in pids and set(ids) == {0, 1} and set(counts) == {2}
    assert get_worker_info() is None


def test_worker_exception_propagates_with_traceback():
    loader = DataLoader(Failing(10), batch_size=2, num_workers=2)
    with pytest.raises(ValueError, match=r"(?s)Caught ValueError in DataLoader worker process \d.*bad sample 7"):
        list(loader)


def test_workers_shut_down_on_early_exit():
    loader = DataLoader(Squares(100), batch_size=2, num_workers=2)
    it = iter(loader)
    next(it)
    pool = loader._workers
    it.close()
    deadline = time.time() + 5
    while any(p.is_alive() for p in pool.processes) and time.time() < deadline:
        time.sleep(0.05)
    assert not any(p.is_alive() for p in pool.processes)


def test_persistent_workers_survive_epochs():
    loader = DataLoader(Squares(9), batch_size=4, num_workers=2, persistent_workers=True)
    first = _labels(loader)
    pids = [p.pid for p in loader._workers.processes]
    assert _labels(loader) == first and [p.pid for p in loader._workers.processes] == pids
    loader._workers.shutdown()


def test_worker_init_fn_runs_in_each_worker():
    class Seen(Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return os.environ.get("MT_WORKER", "none")

    def init(worker_id):
        os.environ["MT_WORKER"] = f"w{worker_id}"

    seen = [s for batch in DataLoader(Seen(), batch_size=1, num_workers=2, worker_init_fn=init) for s in batch]
    assert sorted(set(seen)) == ["w0", "w1"]


@pytest.mark.parametrize("workers", [0, 2])
def test_iterable_dataset(workers):
    loader = DataLoader(Stream(10), batch_size=3, num_workers=workers)
    values = sorted(v for batch in loader for v in batch.tolist())
    assert values == list(range(10))
    with pytest.raises(ValueError, match="shuffle"):
        DataLoader(Stream(3), shuffle=True)


def _as_lists(batch):
    return [(str(t.dtype).split(".")[-1], tuple(t.shape), t.tolist(), t.is_contiguous()) for t in batch]


@pytest.mark.parametrize("batches", [None, [[3, 0, 7], [9, -1, 2, 2]]])
def test_tensor_dataset_batches_are_torchs(batches):
    """A TensorDataset's batches (gathered in one go) equal torch's, which collates its items one by one:
    dtypes, shapes, values, a contiguous result from a non-contiguous tensor, negative and repeated indices."""
    x = np.arange(120, dtype=np.float32).reshape(10, 3, 4)
    y, flags, t = np.arange(10) * 7, np.arange(10) % 3 == 0, np.arange(40, dtype=np.uint8).reshape(4, 10)
    results = []
    for L in (minitorch, torch):
        data = L.utils.data.TensorDataset(L.tensor(x), L.tensor(y), L.tensor(flags), L.tensor(t).t())
        kwargs = {"batch_size": 4} if batches is None else {"batch_sampler": batches}
        loader = L.utils.data.DataLoader(data, **kwargs)
        results.append([(type(b).__name__, _as_lists(b)) for b in loader])
    assert results[0] == results[1]


def test_tensor_dataset_bad_indices_fail_like_item_indexing():
    data = TensorDataset(minitorch.zeros(5, 2))
    with pytest.raises(IndexError) as ours:
        next(iter(DataLoader(data, batch_sampler=[[0, 5]])))
    with pytest.raises(IndexError) as theirs:
        next(iter(torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.zeros(5, 2)),
                                              batch_sampler=[[0, 5]])))
    assert str(ours.value) == str(theirs.value)


class Doubled(TensorDataset):
    def __getitem__(self, index):
        return tuple(2 * t[index] for t in self.tensors)


class Batched(TensorDataset):
    calls = []

    def __getitems__(self, indices):
        self.calls.append(list(indices))
        return [self[i] for i in indices]


def test_dataset_overrides_and_getitems_are_honoured_like_torch():
    """A subclass's own __getitem__ is called per item; a __getitems__ gets the whole batch (as torch's
    fetcher does), through Subset too; a Subset subclass overriding only __getitem__ is refused."""
    data = minitorch.arange(6.0).reshape(6, 1)
    assert [b[0].tolist() for b in DataLoader(Doubled(data), batch_size=4)] == [[[0.0], [2.0], [4.0], [6.0]],
                                                                                [[8.0], [10.0]]]
    batched = Batched(data)
    assert [b[0].shape[0] for b in DataLoader(Subset(batched, [5, 4, 3]), batch_size=2)] == [2, 1]
    assert Batched.calls == [[5, 4], [3]]

    for lib in (minitorch, torch):
        class Shifted(lib.utils.data.Subset):
            def __getitem__(self, index):
                return self.dataset[self.indices[index] + 1]
        with pytest.raises(NotImplementedError, match="overrides __getitem__ but not __getitems__"):
            Shifted(lib.utils.data.TensorDataset(lib.zeros(3)), [0])
