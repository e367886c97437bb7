"""6.17's lib/sort.c (``__sort_r``) is not v5.18's: the 6.17 model sorts with its own machine.

The reference below is transcribed from ``__sort_r`` in lib/sort.c of a 6.17 tree (Kingxukai/linux
0291023e, 6.17.0-rc3) onto element indices: the double pop ("lib/sort: Optimize heapsort with
double-pop variation"), the 2-or-3-element tail and the strict ``> 0`` of the leaf search. The
model's ``sort@6.17`` must make exactly its comparisons and swaps, in its order; the 6.17
registry (``btf_populate_kfunc_set``) must call it, and v5.18's registry must keep v5.18's sort.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.model.libsort import SORT_OF_KERNEL, kernel_sort
from explorer.sim import modern
from explorer.sim.session import Options, run
from tests.test_model_sort_bsearch import ref_sift

Op = tuple[str, int, int, int, int]


def ref_sort_617(ids: list[int]) -> tuple[list[int], list[Op]]:
    """lib/sort.c ``__sort_r`` of 6.17, with indices for byte offsets."""
    x = list(ids)
    ops: list[Op] = []

    def cmp(i: int, j: int) -> int:
        ops.append(("cmp", i, j, x[i], x[j]))
        return x[i] - x[j]

    def swap(i: int, j: int) -> None:
        ops.append(("swap", i, j, x[i], x[j]))
        x[i], x[j] = x[j], x[i]

    num = len(x)
    n, a, shift = num, num // 2, 0
    if not a:
        return x, ops
    while True:
        if a:
            a -= 1 << shift
        elif n > 3:  # pop the two largest
            n -= 1
            swap(0, n)
            shift = int(cmp(1, 2) <= 0)
            a = 1 << shift
            n -= 1
            swap(a, n)
        else:
            break
        ref_sift(cmp, swap, a, n, left_on_equal=False)
    n -= 1
    swap(0, n)
    if n == 2 and cmp(0, 1) > 0:
        swap(0, 1)
    return x, ops


def model_ops(ids: list[int], kernel: str) -> tuple[list[int], list[Op]]:
    run = kernel_sort(ids, kernel)
    ops = [(e.kind, int(e.get("i")), int(e.get("j")), int(e.get("a")), int(e.get("b")))
           for e in run.events if e.kind in ("cmp", "swap")]
    return list(run.sorted), ops


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**31 - 1), max_size=40))
def test_sort_617_makes_the_kernels_comparisons_and_swaps(ids: list[int]) -> None:
    assert model_ops(ids, "6.17") == ref_sort_617(ids)
    assert model_ops(ids, "6.17")[0] == sorted(ids)


def test_sort_617_differs_from_v518_on_the_boot_cell() -> None:
    """The same input sorts to the same result with a different sequence: pops two a round."""
    ids = [106098, 106099, 106100, 106101, 106102, 106103,
           105996, 105997, 105998, 105999, 106000, 106001, 106002, 106003]
    old, new = kernel_sort(ids, "5.18"), kernel_sort(ids, "6.17")
    assert old.sorted == new.sorted == tuple(sorted(ids))
    assert [(e.kind, e.get("i"), e.get("j")) for e in old.events] != \
        [(e.kind, e.get("i"), e.get("j")) for e in new.events]
    assert any(e.get("at") == "pick" for e in new.events)  # cmp(ids[1], ids[2])
    assert not any(e.get("at") == "pick" for e in old.events)


def test_each_registry_calls_its_kernels_sort() -> None:
    """btf_populate_kfunc_set (6.17) calls sort@6.17; __btf_populate_kfunc_set (v5.18) sort."""
    assert SORT_OF_KERNEL == {"5.18": "sort", "6.17": "sort@6.17"}
    for kernel, key in SORT_OF_KERNEL.items():
        r = run(modern.load("boot_tcp", kernel), Options())
        funcs = {rec.func for rec in r.records}
        assert key in funcs, (kernel, sorted(funcs))
        other = SORT_OF_KERNEL["6.17" if kernel == "5.18" else "5.18"]
        assert other not in funcs, kernel
        assert r.outcome["boot"] == "OK"
