"""Which index kthvalue and mode report when values tie: the order torch's CPU kernels leave.

A value that occurs several times along a dim has several indices; torch reports the one its
CPU algorithm happens to put in place, not the first or the last. Users see those indices
(and gradients flow to them), so minitorch replays the same two algorithms on the rows
that have ties; rows without ties have one answer, which the vectorised paths find.

* kthvalue: the quickselect of Numerical Recipes (median-of-three pivot), with NaN larger
  than every number.
* sort(stable=False): std::sort of (value, index) pairs, NaN largest.
* topk: std::partial_sort or std::nth_element (then std::sort) of (value, index) pairs.
* mode: the row sorted as (value, index) pairs by value alone with C++'s std::sort
  (libstdc++'s introsort: insertion sort for 16 values or fewer, which is stable), then the
  index of the last pair of the longest run of equal values. NaN compares false with
  everything, so each NaN is a run of its own.
"""
from __future__ import annotations

from typing import Callable

_SORT_THRESHOLD = 16  # libstdc++ leaves ranges up to this size to its final insertion sort


def _nan_last_greater(x: float, y: float) -> bool:
    return (x != x and y == y) or x > y


def quickselect_index(row: list, k: int) -> int:
    """The original index of the element that torch's quickselect puts at position k (from 0)."""
    values, index = list(row), list(range(len(row)))

    def swap(i: int, j: int) -> None:
        values[i], values[j] = values[j], values[i]
        index[i], index[j] = index[j], index[i]

    greater = _nan_last_greater
    lo, hi = 0, len(values) - 1
    while hi > lo:
        if hi == lo + 1:
            if greater(values[lo], values[hi]):
                swap(lo, hi)
            break
        # median of three (lo, middle, hi) moved to lo, the smaller of the others to lo + 1
        swap(lo + (hi - lo) // 2, lo + 1)
        if greater(values[lo + 1], values[hi]):
            swap(lo + 1, hi)
        if greater(values[lo], values[hi]):
            swap(lo, hi)
        if greater(values[lo + 1], values[lo]):
            swap(lo + 1, lo)
        i, j, pivot = lo + 1, hi, values[lo]
        while True:  # the sentinels at lo + 1 and hi keep both scans in range
            i += 1
            while greater(pivot, values[i]):
                i += 1
            j -= 1
            while greater(values[j], pivot):
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(lo, j)
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1
    return index[k]


def mode_index(row: list) -> int:
    """The index torch's CPU mode reports for `row`: see the module docstring."""
    pairs = [(v, i) for i, v in enumerate(row)]
    _introsort(pairs, lambda a, b: a[0] < b[0])
    best_index, best_count, count = 0, 0, 0
    for n, (value, index) in enumerate(pairs):
        count += 1
        if n == len(pairs) - 1 or value != pairs[n + 1][0]:
            if count > best_count:
                best_index, best_count = index, count
            count = 0
    return best_index


def _nan_aware_less(largest_first: bool) -> Callable:
    """torch's comparators of (value, index) pairs by value: NaN counts as the largest value."""
    def nan(v: float) -> bool:
        return v != v

    if largest_first:
        return lambda x, y: (nan(x[0]) and not nan(y[0])) or x[0] > y[0]
    return lambda x, y: (not nan(x[0]) and nan(y[0])) or x[0] < y[0]


def sort_indices(row: list, descending: bool) -> list:
    """The order torch's CPU sort(stable=False) leaves `row` in: std::sort of (value, index) pairs."""
    pairs = [(v, i) for i, v in enumerate(row)]
    _introsort(pairs, _nan_aware_less(descending))
    return [i for _, i in pairs]


def topk_indices(row: list, k: int, largest: bool, sorted: bool) -> list:
    """The indices torch's CPU topk reports for `row`: the (value, index) pairs ordered by value
    alone, NaN first when largest (last otherwise), with std::partial_sort when k * 64 <= len(row),
    else std::nth_element then std::sort of the first k - 1 (the k-th is in place already)."""
    less = _nan_aware_less(largest)
    pairs = [(v, i) for i, v in enumerate(row)]
    if k == 0:
        return []
    if k * 64 <= len(pairs):
        pairs[:k] = _sort_heap(_heap_select(pairs, k, less), less)
    else:
        _introselect(pairs, 0, k - 1, len(pairs), 2 * (len(pairs).bit_length() - 1), less)
        if sorted and k > 1:
            head = pairs[:k - 1]
            _introsort(head, less)
            pairs[:k - 1] = head
    return [i for _, i in pairs[:k]]


def _heap_select(a: list, middle: int, less: Callable) -> list:
    """std::__heap_select: a heap of the first `middle` that every later element smaller than its
    top replaces (popping the top into the later place); returns that heap, `a` holds the rest."""
    heap = a[:middle]
    for parent in range((middle - 2) // 2, -1, -1):
        _adjust_heap(heap, parent, middle, heap[parent], less)
    for i in range(middle, len(a)):
        if less(a[i], heap[0]):
            value = a[i]
            a[i] = heap[0]
            _adjust_heap(heap, 0, middle, value, less)
    a[:middle] = heap
    return heap


def _introselect(a: list, first: int, nth: int, last: int, depth: int, less: Callable) -> None:
    """std::nth_element: quickselect around median-of-three pivots, heap select past the depth limit."""
    while last - first > 3:
        if depth == 0:
            part = a[first:last]
            heap = _heap_select(part, nth - first + 1, less)
            heap[0], heap[nth - first] = heap[nth - first], heap[0]
            part[:len(heap)] = heap
            a[first:last] = part
            return
        depth -= 1
        cut = _partition_around_median(a, first, last, less)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(a, first, last, less)


def first_of_equal(n: int) -> int:
    """The original index that std::nth_element puts first among n elements that all compare equal
    (torch's nanmedian of an all-NaN slice)."""
    a = list(range(n))
    _introselect(a, 0, 0, n, 2 * (n.bit_length() - 1), lambda x, y: False)
    return a[0]


def _introsort(a: list, less: Callable) -> None:
    """libstdc++'s std::sort: quicksort down to ranges of 16, heapsort past a depth limit,
    then one insertion sort over everything."""
    if len(a) > 1:
        _introsort_loop(a, 0, len(a), 2 * (len(a).bit_length() - 1), less)
        if len(a) > _SORT_THRESHOLD:
            _insertion_sort(a, 0, _SORT_THRESHOLD, less)
            for i in range(_SORT_THRESHOLD, len(a)):
                _linear_insert(a, i, less)
        else:
            _insertion_sort(a, 0, len(a), less)


def _introsort_loop(a: list, first: int, last: int, depth: int, less: Callable) -> None:
    while last - first > _SORT_THRESHOLD:
        if depth == 0:
            a[first:last] = _heapsort(a[first:last], less)
            return
        depth -= 1
        cut = _partition_around_median(a, first, last, less)
        _introsort_loop(a, cut, last, depth, less)
        last = cut


def _partition_around_median(a: list, first: int, last: int, less: Callable) -> int:
    """Move the median of a[first + 1], the middle and the last element to `first`, then
    partition a[first + 1:last] around it (Hoare); returns where the right part starts."""
    x, y, z = first + 1, first + (last - first) // 2, last - 1
    if less(a[x], a[y]):
        median = y if less(a[y], a[z]) else (z if less(a[x], a[z]) else x)
    else:
        median = x if less(a[x], a[z]) else (z if less(a[y], a[z]) else y)
    a[first], a[median] = a[median], a[first]
    lo, hi = first + 1, last
    while True:
        while lo < last - 1 and less(a[lo], a[first]):  # (libstdc++ runs unguarded here; NaN could
            lo += 1                                      # walk it off the end, we stop at the edge)
        hi -= 1
        while hi > first and less(a[first], a[hi]):
            hi -= 1
        if lo >= hi:
            return lo
        a[lo], a[hi] = a[hi], a[lo]
        lo += 1


def _insertion_sort(a: list, first: int, last: int, less: Callable) -> None:
    for i in range(first + 1, last):
        if less(a[i], a[first]):
            a[first:i + 1] = [a[i]] + a[first:i]
        else:
            _linear_insert(a, i, less)


def _linear_insert(a: list, i: int, less: Callable) -> None:
    # (libstdc++ does not stop at 0: its first 16 values hold the minimum, unless NaN breaks that)
    value = a[i]
    while i > 0 and less(value, a[i - 1]):
        a[i] = a[i - 1]
        i -= 1
    a[i] = value


def _heapsort(a: list, less: Callable) -> list:
    """std::make_heap then std::sort_heap (a max-heap; ties leave it by libstdc++'s sift order)."""
    n = len(a)
    for parent in range((n - 2) // 2, -1, -1):
        _adjust_heap(a, parent, n, a[parent], less)
    return _sort_heap(a, less)


def _sort_heap(a: list, less: Callable) -> list:
    """std::sort_heap: pop the top of the heap `a` to the end, over and over."""
    for end in range(len(a) - 1, 0, -1):
        value = a[end]
        a[end] = a[0]
        _adjust_heap(a, 0, end, value, less)
    return a


def _adjust_heap(a: list, hole: int, length: int, value, less: Callable) -> None:
    """Sift the hole down to a leaf along the larger children, then push `value` up from there."""
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if less(a[child], a[child - 1]):
            child -= 1
        a[hole] = a[child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        a[hole] = a[child - 1]
        hole = child - 1
    parent = (hole - 1) // 2
    while hole > top and less(a[parent], value):
        a[hole] = a[parent]
        hole = parent
        parent = (hole - 1) // 2
    a[hole] = value
