"""`DataLoader`: batches from a dataset, in the main process or in worker processes.

With num_workers > 0, each worker process owns a task queue; the main process keeps
`prefetch_factor * num_workers` tasks in flight, buffers batches that arrive early and
yields them strictly in task order, so results do not depend on worker timing.
"""
from __future__ import annotations

import itertools
import multiprocessing
import queue
from typing import Any, Callable, Iterator

from ...random import Generator, rng
from .collate import default_collate, default_convert
from .dataset import Dataset, IterableDataset, TensorDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler
from .worker import RESET, ExceptionWrapper, IterableStop, worker_loop


class DataLoader:
    """Iterate over `dataset` in batches (torch.utils.data.DataLoader's arguments and rules)."""

    def __init__(self, dataset: Dataset, batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler: Sampler | None = None, batch_sampler: Sampler | None = None,
                 num_workers: int = 0, collate_fn: Callable | None = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0, worker_init_fn: Callable | None = None,
                 multiprocessing_context: Any = None, generator: Generator | None = None, *,
                 prefetch_factor: int | None = None, persistent_workers: bool = False,
                 pin_memory_device: str = "", in_order: bool = True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable "
                             "multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing.let "
                             "num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        self.iterable = isinstance(dataset, IterableDataset)
        if self.iterable:
            if shuffle not in (None, False):
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified shuffle option, "
                                 f"but got shuffle={shuffle}")
            if sampler is not None or batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified sampler option")
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, "
                                 "sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive "
                             "with drop_last")
        if sampler is None and not self.iterable:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None and not self.iterable:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.dataset, self.batch_size, self.drop_last = dataset, batch_size, drop_last
        self.sampler, self.batch_sampler = sampler, batch_sampler
        self.num_workers, self.timeout, self.worker_init_fn = num_workers, timeout, worker_init_fn
        self.prefetch_factor = 2 if num_workers and prefetch_factor is None else prefetch_factor
        self.persistent_workers, self.pin_memory, self.generator = persistent_workers, pin_memory, generator
        self.multiprocessing_context = multiprocessing_context
        auto_batch = batch_sampler is not None or (self.iterable and batch_size is not None)
        self.collate_fn = collate_fn or (default_collate if auto_batch else default_convert)
        self._auto_batch = auto_batch
        self._workers: _WorkerPool | None = None

    def __len__(self) -> int:
        if self.iterable:
            n = len(self.dataset)
            if self.batch_size is not None:
                n = n // self.batch_size if self.drop_last else -(-n // self.batch_size)
            return n
        return len(self.batch_sampler if self._auto_batch else self.sampler)

    # ----- fetching one batch ---------------------------------------------------------------
    def _fetch_indices(self, indices: Any) -> Any:
        """One batch as torch's map-style fetcher makes it: the dataset's __getitems__ if it has
        one, else its items one by one, then collate_fn."""
        dataset = self.dataset
        if not self._auto_batch:
            return self.collate_fn(dataset[indices])
        if getattr(dataset, "__getitems__", None):
            return self.collate_fn(dataset.__getitems__(indices))
        if self.collate_fn is default_collate and type(dataset).__getitem__ is TensorDataset.__getitem__:
            batch = dataset._collated_rows(indices)  # the same batch, without a tensor per sample
            if batch is not None:
                return batch
        return self.collate_fn([dataset[i] for i in indices])

    def _fetch_stream(self, stream: Iterator) -> Any:
        if not self._auto_batch:
            return self.collate_fn(next(stream))
        batch = list(itertools.islice(stream, self.batch_size))
        if not batch or (self.drop_last and len(batch) < self.batch_size):
            raise StopIteration
        return self.collate_fn(batch)

    def _tasks(self) -> Iterator:
        return iter(self.batch_sampler if self._auto_batch else self.sampler)

    def __iter__(self) -> Iterator:
        if self.num_workers == 0:
            return self._single_process()
        if self._workers is None or not self.persistent_workers:
            self._workers = _WorkerPool(self)
        else:
            self._workers.reset()
        return self._workers.batches()

    def _single_process(self) -> Iterator:
        if self.iterable:
            stream = iter(self.dataset)
            while True:
                try:
                    yield self._fetch_stream(stream)
                except StopIteration:
                    return
        for task in self._tasks():
            yield self._fetch_indices(task)

    def __del__(self) -> None:
        if getattr(self, "_workers", None) is not None:
            self._workers.shutdown()


class _WorkerPool:
    """Worker processes of one DataLoader, and the in-order delivery of their batches."""

    def __init__(self, loader: DataLoader):
        self.loader = loader
        context = loader.multiprocessing_context or multiprocessing.get_context("fork")
        if isinstance(context, str):
            context = multiprocessing.get_context(context)
        self.result_queue = context.Queue()
        self.index_queues = []
        self.processes = []
        base_seed = int(rng(loader.generator).integers(0, 2 ** 62))
        fetch = loader._fetch_stream if loader.iterable else loader._fetch_indices
        for worker_id in range(loader.num_workers):
            index_queue = context.Queue()
            process = context.Process(
                target=worker_loop, daemon=True,
                args=(loader.dataset, fetch, loader.iterable, index_queue, self.result_queue, worker_id,
                      loader.num_workers, base_seed + worker_id, loader.worker_init_fn))
            process.start()
            self.index_queues.append(index_queue)
            self.processes.append(process)
        self.alive = True
        self.fresh = True

    def reset(self) -> None:
        """Start a new epoch on the same (persistent) workers."""
        if self.loader.iterable and not self.fresh:
            for q in self.index_queues:
                q.put(RESET)
        self.fresh = True

    def batches(self) -> Iterator:
        self.fresh = False
        loader = self.loader
        tasks = self._tasks()
        pending: dict[int, Any] = {}
        in_flight = 0
        next_to_send = next_to_yield = 0
        active = list(range(loader.num_workers))
        try:
            for _ in range(loader.prefetch_factor * loader.num_workers):
                if self._send(tasks, next_to_send, active):
                    next_to_send += 1
                    in_flight += 1
            while in_flight:
                while next_to_yield not in pending:
                    number, batch = self._receive()
                    pending[number] = batch
                batch = pending.pop(next_to_yield)
                next_to_yield += 1
                in_flight -= 1
                if isinstance(batch, IterableStop):
                    if batch.worker_id in active:
                        active.remove(batch.worker_id)
                elif isinstance(batch, ExceptionWrapper):
                    batch.reraise()
                if self._send(tasks, next_to_send, active):
                    next_to_send += 1
                    in_flight += 1
                if not isinstance(batch, IterableStop):
                    yield batch
        finally:
            if not loader.persistent_workers:
                self.shutdown()

    def _tasks(self) -> Iterator:
        if self.loader.iterable:
            return itertools.repeat(None)
        return self.loader._tasks()

    def _send(self, tasks: Iterator, number: int, active: list[int]) -> bool:
        if not active:
            return False
        task = next(tasks, StopIteration)
        if task is StopIteration:
            return False
        # Round-robin over the workers still running, so task numbers map to workers in turn.
        self.index_queues[active[number % len(active)]].put((number, task))
        return True

    def _receive(self) -> tuple:
        timeout = self.loader.timeout
        while True:
            try:
                return self.result_queue.get(timeout=timeout if timeout > 0 else 1.0)
            except queue.Empty:
                if timeout > 0:
                    raise RuntimeError(f"DataLoader timed out after {timeout} seconds") from None
                dead = [p for p in self.processes if not p.is_alive()]
                if dead:
                    raise RuntimeError(f"DataLoader worker (pid(s) {', '.join(str(p.pid) for p in dead)}) "
                                       "exited unexpectedly") from None

    def shutdown(self) -> None:
        """Stop the workers: ask politely, then terminate stragglers."""
        if not self.alive:
            return
        self.alive = False
        for q in self.index_queues:
            try:
                q.put(None)
            except (OSError, ValueError):
                pass
        for p in self.processes:
            p.join(timeout=2.0)
            if p.is_alive():
                p.terminate()
        for q in self.index_queues + [self.result_queue]:
            q.cancel_join_thread()
            q.close()
