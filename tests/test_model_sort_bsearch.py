"""The kernel's sort() and bsearch() (MODEL.md §4–§5) against an independent reference.

The reference below is written from MODEL.md §4's prose, as plain loops; the model's step machine
(explorer.model.libsort) must produce exactly the same comparisons and swaps, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.model.libsort import btf_id_cmp_func, kernel_bsearch, kernel_sort

Op = tuple[str, int, int, int, int]  # (cmp|swap, i, j, value at i, value at j) before the op

u31 = st.integers(min_value=0, max_value=2**31 - 1)


def ref_sort(ids: list[int]) -> tuple[list[int], list[Op]]:
    """lib/sort.c bottom-up heapsort on element indices, as MODEL.md §4 describes it."""
    x = list(ids)
    ops: list[Op] = []

    def cmp(i: int, j: int) -> int:
        ops.append(("cmp", i, j, x[i], x[j]))
        return x[i] - x[j]  # btf_id_cmp_func for IDs below 2^31

    def swap(i: int, j: int) -> None:
        ops.append(("swap", i, j, x[i], x[j]))
        x[i], x[j] = x[j], x[i]

    num = len(x)
    a, n = num // 2, num
    if a == 0:
        return x, ops
    while True:
        if a > 0:
            a -= 1
        else:
            n -= 1
            if n > 0:
                swap(0, n)
            else:
                break
        ref_sift(cmp, swap, a, n, left_on_equal=True)
    return x, ops


def ref_sift(cmp: Callable[[int, int], int], swap: Callable[[int, int], None], a: int, n: int,
             *, left_on_equal: bool) -> None:
    """The bottom-up sift-down of element ``a`` in the heap ``[0, n)``: the same in v5.18 and
    6.17 but for the leaf search's test (v5.18 ``>= 0``, 6.17 ``> 0``)."""
    # leaf search
    b = a
    c, d = 2 * b + 1, 2 * b + 2
    while d < n:
        r = cmp(c, d)
        b = c if (r >= 0 if left_on_equal else r > 0) else d
        c, d = 2 * b + 1, 2 * b + 2
    if d == n:
        b = c
    # backtrack
    while b != a and cmp(a, b) >= 0:
        b = (b - 1) // 2
    # shift into place
    c = b
    while b != a:
        b = (b - 1) // 2
        swap(b, c)


def ref_bsearch(key: int, ids: list[int]) -> tuple[bool, list[int]]:
    """include/linux/bsearch.h __inline_bsearch, as MODEL.md §5 describes it."""
    base, num = 0, len(ids)
    probes = []
    while num > 0:
        pivot = base + num // 2
        probes.append(pivot)
        r = key - ids[pivot]
        if r == 0:
            return True, probes
        if r > 0:
            base = pivot + 1
            num -= 1
        num //= 2
    return False, probes


def model_ops(ids: list[int]) -> list[Op]:
    r = kernel_sort(ids)
    return [(e.kind, e.get("i"), e.get("j"), e.get("a"), e.get("b")) for e in r.events]


# -- the spec's worked examples ------------------------------------------------------------------


def test_sort_5_3_9_1_7() -> None:
    r = kernel_sort([5, 3, 9, 1, 7])
    assert r.sorted == (1, 3, 5, 7, 9)
    assert (r.comparisons, r.swaps) == (10, 9)
    assert ref_sort([5, 3, 9, 1, 7])[1] == model_ops([5, 3, 9, 1, 7])


def test_sort_concatenation_example() -> None:
    ids = [10, 20, 30, 40, 15, 25, 35]
    r = kernel_sort(ids)
    assert r.sorted == (10, 15, 20, 25, 30, 35, 40)
    assert (r.comparisons, r.swaps) == (17, 14)


def test_reference_agrees_with_the_spec_counts() -> None:
    for ids, cmps, swaps in (([5, 3, 9, 1, 7], 10, 9), ([10, 20, 30, 40, 15, 25, 35], 17, 14)):
        _, ops = ref_sort(ids)
        assert sum(o[0] == "cmp" for o in ops) == cmps
        assert sum(o[0] == "swap" for o in ops) == swaps


def test_sort_of_0_1_elements_does_nothing() -> None:
    assert kernel_sort([]).events == () and kernel_sort([]).sorted == ()
    assert kernel_sort([7]).events == () and kernel_sort([7]).sorted == (7,)
    two = kernel_sort([9, 4])
    assert two.sorted == (4, 9) and (two.comparisons, two.swaps) == (1, 1)


def test_sort_first_events_of_the_example() -> None:
    # heap building starts at a = num/2 - 1 = 1: children 3 and 4 are compared first
    ops = model_ops([5, 3, 9, 1, 7])
    assert ops[0] == ("cmp", 3, 4, 1, 7)


def test_bsearch_unsorted_concatenation_misses() -> None:
    r = kernel_bsearch(15, [10, 20, 30, 40, 15, 25, 35])
    assert r.probes == (3, 1, 0)
    assert r.found is False


def test_bsearch_sorted_cell_finds() -> None:
    r = kernel_bsearch(15, [10, 15, 20, 25, 30, 35, 40])
    assert r.probes == (3, 1)
    assert r.found is True


def test_bsearch_empty_has_no_probe() -> None:
    r = kernel_bsearch(1, [])
    assert r.found is False and r.probes == ()


# -- properties ----------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.lists(u31, max_size=40))
def test_kernel_sort_matches_reference_event_for_event(ids: list[int]) -> None:
    ref_sorted, ref_ops = ref_sort(ids)
    r = kernel_sort(ids)
    assert model_ops(ids) == ref_ops
    assert list(r.sorted) == ref_sorted


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 20), max_size=33))
def test_kernel_sort_matches_reference_with_many_duplicates(ids: list[int]) -> None:
    assert model_ops(ids) == ref_sort(ids)[1]


@settings(max_examples=150, deadline=None)
@given(st.lists(u31, max_size=40))
def test_kernel_sort_agrees_with_sorted(ids: list[int]) -> None:
    r = kernel_sort(ids)
    assert list(r.sorted) == sorted(ids)
    # each event reports the values it saw; replaying the swaps reproduces the result
    x = list(ids)
    for e in r.events:
        i, j = e.get("i"), e.get("j")
        assert (x[i], x[j]) == (e.get("a"), e.get("b"))
        if e.kind == "swap":
            x[i], x[j] = x[j], x[i]
    assert x == sorted(ids)


@settings(max_examples=150, deadline=None)
@given(st.lists(u31, max_size=40), u31)
def test_kernel_bsearch_is_membership_on_sorted_input(ids: list[int], key: int) -> None:
    s = sorted(ids)
    for k in [key, *s[:3], *(v + 1 for v in s[:2])]:
        r = kernel_bsearch(k, s)
        assert r.found == (k in s)
        assert len(r.probes) <= max(1, len(s)).bit_length()


@settings(max_examples=150, deadline=None)
@given(st.lists(u31, max_size=40), u31)
def test_kernel_bsearch_matches_reference_on_any_input(ids: list[int], key: int) -> None:
    for k in (key, *ids[:3]):
        r = kernel_bsearch(k, ids)
        found, probes = ref_bsearch(k, ids)
        assert (r.found, list(r.probes)) == (found, probes)
        if r.found:
            assert ids[r.probes[-1]] == k


@given(u31, u31)
def test_btf_id_cmp_func_sign(a: int, b: int) -> None:
    r = btf_id_cmp_func(a, b)
    assert (r > 0) == (a > b) and (r < 0) == (a < b) and (r == 0) == (a == b)
    assert btf_id_cmp_func(b, a) == -r
    assert btf_id_cmp_func(a, a) == 0
    assert -(2**31) <= r < 2**31


@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))
def test_btf_id_cmp_func_is_a_32_bit_int_difference(a: int, b: int) -> None:
    r = btf_id_cmp_func(a, b)
    assert -(2**31) <= r < 2**31
    assert (r - (a - b)) % 2**32 == 0


def test_btf_id_cmp_func_reads_ids_as_ints() -> None:
    # *(int *)a: 0x80000000 is INT_MIN, so it compares below 0
    assert btf_id_cmp_func(0x8000_0000, 0) < 0
    assert btf_id_cmp_func(0xFFFF_FFFF, 0) == -1
    assert btf_id_cmp_func(3, 5) == -2 and btf_id_cmp_func(5, 3) == 2
