"""The kernel's ``sort()`` (lib/sort.c, v5.1+) and ``bsearch()`` (lib/bsearch.c), step by step.

``sort`` is a bottom-up heapsort: each step of the modelled function is exactly one comparison or
one swap, in the kernel's order, so a front can animate the heap. ``bsearch`` is the kernel's
``__inline_bsearch``: each step is one probe. ``btf_id_cmp_func`` (kernel/bpf/btf.c) compares two
BTF IDs as ints. The same step machines run inside the registry (on the world's memory) and on
plain lists (:func:`kernel_sort`, :func:`kernel_bsearch`), so the CLI, tests and views all see the
kernel's exact sequence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from explorer.model.machine import (
    Ctx,
    Effect,
    Event,
    FMap,
    Frame,
    KernelFunction,
    ev,
    goto,
    new_frame,
    ret,
    run_to_completion,
)
from explorer.model.state import IdSet, World, empty_world
from explorer.model.values import evolve


def btf_id_cmp_func(a: int, b: int) -> int:
    """kernel/bpf/btf.c ``btf_id_cmp_func``: ``*(int *)a - *(int *)b`` with 32-bit wrap-around."""
    ia = a - (1 << 32) if a >= 1 << 31 else a
    ib = b - (1 << 32) if b >= 1 << 31 else b
    d = (ia - ib) & 0xFFFF_FFFF
    return d - (1 << 32) if d >= 1 << 31 else d


def _parent(i: int) -> int:
    return (i - 1) // 2


def _swap(s: IdSet, i: int, j: int) -> IdSet:
    ids = list(s.ids)
    ids[i], ids[j] = ids[j], ids[i]
    return evolve(s, ids=tuple(ids))


class Sort(KernelFunction, name="sort", file="lib/sort.c"):
    """lib/sort.c ``sort()``: bottom-up heapsort, one comparison or swap a step."""

    doc = "bottom-up heapsort of set->ids with btf_id_cmp_func"
    fused = True
    listing_src = """
void sort(u32 *ids, size_t num, cmp_func_t cmp)	/* element indices; the kernel uses bytes */
{
	size_t n = num, a = num / 2, b, c, d;
@entry	if (!a)			/* 0 or 1 element: already sorted */
		return;
	for (;;) {
@loop		if (a)			/* phase 1, build the heap: sift down a-1 */
			a--;
		else if (--n)		/* phase 2: move the maximum to the end */
			swap(&ids[0], &ids[n]);
		else			/* n reached 0: sorted */
			break;
		/* sift ids[a] down, bottom-up: first find the leaf the larger children lead to */
@leaf		for (b = a; c = 2*b + 1, (d = c + 1) < n; )
			b = cmp(&ids[c], &ids[d]) >= 0 ? c : d;	/* one compare per level */
@lastleaf	if (d == n)		/* a last left child without a sibling */
			b = c;
		/* then climb back up from that leaf to where ids[a] belongs */
@back		while (b != a && cmp(&ids[a], &ids[b]) >= 0)
			b = (b - 1) / 2;
@shift0		c = b;
@shift		while (b != a) {	/* rotate ids[a] into place along the path */
			b = (b - 1) / 2;
			swap(&ids[b], &ids[c]);
		}
	}
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        s = w.idset(v["base"])
        a, n, b = v.get("a", 0), v.get("n", 0), v.get("b", 0)
        ph = "build" if n == v["num"] else "sortdown"
        match f.pc:
            case "entry":
                num = v["num"]
                if num // 2 == 0:
                    return ret(None, w)
                return goto("loop", w, v.set(n=num, a=num // 2, b=0, c=0, d=0))
            case "loop":
                if a:
                    return goto("leaf", w, v.set(a=a - 1, b=a - 1))
                if n - 1:
                    n, ph = n - 1, "sortdown"
                    e = self._swap_event(s, 0, n, "extract", phase=ph, heap_a=a, heap_n=n)
                    return goto("leaf", w.with_idset(_swap(s, 0, n)), v.set(n=n, b=0), e)
                return ret(None, w)
            case "leaf":
                c, d = 2 * b + 1, 2 * b + 2
                if d < n:
                    r = btf_id_cmp_func(s.ids[c], s.ids[d])
                    e = self._cmp_event(s, c, d, r, "leaf", phase=ph, heap_a=a, heap_n=n)
                    return goto("leaf", w, v.set(b=c if r >= 0 else d, c=c, d=d), e)
                return goto("lastleaf", w, v.set(c=c, d=d))
            case "lastleaf":
                return goto("back", w, v.set(b=v["c"]) if v["d"] == n else v)
            case "back":
                if b == a:
                    return goto("shift0", w, v)
                r = btf_id_cmp_func(s.ids[a], s.ids[b])
                e = self._cmp_event(s, a, b, r, "back", phase=ph, heap_a=a, heap_n=n)
                return goto("back" if r >= 0 else "shift0", w,
                            v.set(b=_parent(b)) if r >= 0 else v, e)
            case "shift0":
                return goto("shift", w, v.set(c=b))
            case "shift":
                if b == a:
                    return goto("loop", w, v)
                b = _parent(b)
                c = v["c"]
                e = self._swap_event(s, b, c, "shift", phase=ph, heap_a=a, heap_n=n)
                return goto("shift", w.with_idset(_swap(s, b, c)), v.set(b=b), e)
        raise AssertionError(f.pc)

    # Each event names the labelled step that made it (``at``: leaf, back, extract, shift) and
    # the phase: ``build`` (heapify, a counts down) until the first extraction shrinks n below
    # num, ``sortdown`` after. The kernel has no such variable; it is the loop's first branch.
    @staticmethod
    def _cmp_event(s: IdSet, i: int, j: int, r: int, at: str, *, phase: str, heap_a: int,
                   heap_n: int) -> Event:
        rel = ">=" if r >= 0 else "<"
        return ev("cmp", f"cmp ids[{i}]={s.ids[i]} with ids[{j}]={s.ids[j]}: {rel}",
                  addr=s.addr, i=i, j=j, a=s.ids[i], b=s.ids[j], result=r, at=at,
                  phase=phase, heap_a=heap_a, heap_n=heap_n)

    @staticmethod
    def _swap_event(s: IdSet, i: int, j: int, at: str, *, phase: str, heap_a: int,
                    heap_n: int) -> Event:
        return ev("swap", f"swap ids[{i}]={s.ids[i]} and ids[{j}]={s.ids[j]}",
                  addr=s.addr, i=i, j=j, a=s.ids[i], b=s.ids[j], at=at,
                  phase=phase, heap_a=heap_a, heap_n=heap_n)


class Bsearch(KernelFunction, name="bsearch", file="lib/bsearch.c"):
    """lib/bsearch.c ``bsearch()`` → ``__inline_bsearch``: one probe a step."""

    doc = "binary search of a sorted u32 array with btf_id_cmp_func"
    fused = True
    listing_src = """
void *bsearch(const u32 *key, const u32 *base, size_t num, cmp_func_t cmp)
{
	const u32 *pivot;
	int result;

@entry	while (num > 0) {
@probe		pivot = base + (num >> 1);
		result = cmp(key, pivot);
		if (result == 0)
			return (void *)pivot;	/* found */
		if (result > 0) {		/* key is above the pivot: search right of it */
			base = pivot + 1;
			num--;
		}
		num >>= 1;			/* halve, whichever side */
	}
@miss	return NULL;
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        match f.pc:
            case "entry":
                return goto("probe" if v["num"] > 0 else "miss", w, v)
            case "probe":
                s = w.idset(v["set"])
                base, num, key = v["base"], v["num"], v["key"]
                pivot = base + num // 2
                r = btf_id_cmp_func(key, s.ids[pivot])
                e = ev("probe", f"probe ids[{pivot}]={s.ids[pivot]} for {key}: "
                       + ("found" if r == 0 else "go right" if r > 0 else "go left"),
                       addr=s.addr, index=pivot, value=s.ids[pivot], key=key, base=base, num=num,
                       result=r)
                if r == 0:
                    return ret(True, w, e)
                if r > 0:
                    base, num = pivot + 1, num - 1
                num //= 2
                return goto("probe" if num > 0 else "miss", w, v.set(base=base, num=num), e)
            case "miss":
                return ret(False, w)
        raise AssertionError(f.pc)


# -- the same machines on a plain list -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SortRun:
    """The kernel's sort of a list: the result and every comparison and swap, in order."""

    sorted: tuple[int, ...]
    events: tuple[Event, ...]

    @property
    def comparisons(self) -> int:
        return sum(1 for e in self.events if e.kind == "cmp")

    @property
    def swaps(self) -> int:
        return sum(1 for e in self.events if e.kind == "swap")


@dataclass(frozen=True, slots=True)
class BsearchRun:
    """The kernel's bsearch: found or not, and every probe (index) in order."""

    found: bool
    events: tuple[Event, ...]

    @property
    def probes(self) -> tuple[int, ...]:
        return tuple(int(e.get("index")) for e in self.events if e.kind == "probe")


_SCRATCH = "scratch"


def _scratch_world(ids: Sequence[int]) -> World:
    w = empty_world()
    s = IdSet(_SCRATCH, len(ids), tuple(ids), "scratch", symbol="ids")
    return replace(w, mem=FMap({_SCRATCH: s}))


def kernel_sort(ids: Sequence[int]) -> SortRun:
    """Sort ``ids`` exactly as lib/sort.c does, reporting every comparison and swap."""
    w = _scratch_world(ids)
    r = run_to_completion(w, (new_frame("sort", {"base": _SCRATCH, "num": len(ids)}),), Ctx("-"))
    return SortRun(r.world.idset(_SCRATCH).ids, r.events)


def kernel_bsearch(key: int, ids: Sequence[int]) -> BsearchRun:
    """Search ``key`` in ``ids`` exactly as lib/bsearch.c does (sorted or not!)."""
    w = _scratch_world(ids)
    frame = new_frame("bsearch", {"set": _SCRATCH, "key": key, "base": 0, "num": len(ids)})
    r = run_to_completion(w, (frame,), Ctx("-"))
    return BsearchRun(bool(r.value), r.events)
