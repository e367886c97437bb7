"""The kernel's ``sort()`` (lib/sort.c: v5.18's and 6.17's) and ``bsearch()`` (lib/bsearch.c), step by step.

``sort`` is a bottom-up heapsort: each step of the modelled function is exactly one comparison or
one swap, in the kernel's order, so a front can animate the heap. ``bsearch`` is the kernel's
``__inline_bsearch``: each step is one probe. ``btf_id_cmp_func`` (kernel/bpf/btf.c) compares two
BTF IDs as ints. The same step machines run inside the registry (on the world's memory) and on
plain lists (:func:`kernel_sort`, :func:`kernel_bsearch`), so the CLI, tests and views all see the
kernel's exact sequence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

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
from explorer.model.records import dataclass
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
        a, n = v.get("a", 0), v.get("n", 0)
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
        return self._sift(w, f, s, ph)

    left_on_equal: ClassVar[bool] = True
    """The leaf search follows the left child when ``cmp >= 0`` (v5.18); 6.17: only ``> 0``."""

    def _sift(self, w: World, f: Frame, s: IdSet, ph: str) -> Effect:
        """The bottom-up sift-down of ``ids[a]`` (labels leaf, lastleaf, back, shift0, shift), the
        same lines in v5.18 and 6.17 but for the leaf search's comparison."""
        v = f.vars
        a, n, b = v.get("a", 0), v.get("n", 0), v.get("b", 0)
        match f.pc:
            case "leaf":
                c, d = 2 * b + 1, 2 * b + 2
                if d < n:
                    r = btf_id_cmp_func(s.ids[c], s.ids[d])
                    left = r >= 0 if self.left_on_equal else r > 0
                    e = self._cmp_event(s, c, d, r, "leaf", phase=ph, heap_a=a, heap_n=n,
                                        left=None if self.left_on_equal else left)
                    return goto("leaf", w, v.set(b=c if left else d, c=c, d=d), e)
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
                   heap_n: int, left: bool | None = None) -> Event:
        rel = ">=" if r >= 0 else "<"
        extra = {} if left is None else {"left": left}
        return ev("cmp", f"cmp ids[{i}]={s.ids[i]} with ids[{j}]={s.ids[j]}: {rel}",
                  addr=s.addr, i=i, j=j, a=s.ids[i], b=s.ids[j], result=r, at=at,
                  phase=phase, heap_a=heap_a, heap_n=heap_n, **extra)

    @staticmethod
    def _swap_event(s: IdSet, i: int, j: int, at: str, *, phase: str, heap_a: int,
                    heap_n: int) -> Event:
        return ev("swap", f"swap ids[{i}]={s.ids[i]} and ids[{j}]={s.ids[j]}",
                  addr=s.addr, i=i, j=j, a=s.ids[i], b=s.ids[j], at=at,
                  phase=phase, heap_a=heap_a, heap_n=heap_n)


class Sort617(Sort, name="sort", file="lib/sort.c (v6.17)", version="6.17"):
    """lib/sort.c ``sort()`` → ``__sort_r`` as of 6.17: the bottom-up heapsort pops two a round.

    Read in lib/sort.c of Kingxukai/linux 0291023e (6.17.0-rc3). Three changes since v5.18, each
    changing which comparisons and swaps run (so the 6.17 model needs its own machine):

    * "lib/sort: Optimize heapsort with double-pop variation": while more than 3 elements are in
      the heap, a round swaps the root to the end, compares elements 1 and 2 (``shift = cmp <=
      0``), swaps the larger one (the second largest) to the new end, sifts it down from its
      index (1 or 2), and the next round's ``a -= size << shift`` brings ``a`` back to 0 to sift
      the root;
    * with 2 or 3 elements left the loop ends: one swap of the root to the end, and with 2 left
      one comparison (and a swap if they are out of order);
    * the leaf search follows the left child only when it is strictly greater (``> 0``; v5.18
      had ``>= 0``).
    """

    doc = "bottom-up heapsort, two pops a round (6.17), one comparison or swap a step"
    fused = True
    listing_src = """
void sort(u32 *ids, size_t num, cmp_func_t cmp)	/* lib/sort.c __sort_r, 6.17; indices, not bytes */
{
	size_t n = num, a = num / 2, shift = 0, b, c, d;
@entry	if (!a)			/* 0 or 1 element: already sorted */
		return;
	for (;;) {
@loop		if (a)			/* build the heap (shift 0), or go back to the root */
			a -= 1 << shift;
		else if (n > 3) {	/* pop the two largest elements */
			n--;
			swap(&ids[0], &ids[n]);
@pick			shift = cmp(&ids[1], &ids[2]) <= 0;	/* the larger child is 2nd largest */
			a = 1 << shift;
@pop2			n--;
			swap(&ids[a], &ids[n]);		/* sift the hole at a first, the root next round */
		} else			/* 2 or 3 elements left */
			break;
		/* sift ids[a] down, bottom-up: find the leaf the larger children lead to */
@leaf		for (b = a; c = 2*b + 1, (d = c + 1) < n; )
			b = cmp(&ids[c], &ids[d]) > 0 ? c : d;	/* v5.18: >= 0 */
@lastleaf	if (d == n)		/* a last left child without a sibling */
			b = c;
@back		while (b != a && cmp(&ids[a], &ids[b]) >= 0)
			b = (b - 1) / 2;
@shift0		c = b;
@shift		while (b != a) {
			b = (b - 1) / 2;
			swap(&ids[b], &ids[c]);
		}
	}
@tail	n--;
	swap(&ids[0], &ids[n]);		/* the largest of the last 2 or 3 */
@last2	if (n == 2 && cmp(&ids[0], &ids[1]) > 0)
@last2swap	swap(&ids[0], &ids[1]);
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        s = w.idset(v["base"])
        a, n = v.get("a", 0), v.get("n", 0)
        ph = "build" if n == v["num"] else "sortdown"
        cmp_ev, swap_ev = Sort._cmp_event, Sort._swap_event
        match f.pc:
            case "entry":
                num = v["num"]
                if num // 2 == 0:
                    return ret(None, w)
                return goto("loop", w, v.set(n=num, a=num // 2, shift=0, b=0, c=0, d=0))
            case "loop":
                if a:
                    a -= 1 << v["shift"]
                    return goto("leaf", w, v.set(a=a, b=a))
                if n > 3:
                    n, ph = n - 1, "sortdown"
                    e = swap_ev(s, 0, n, "extract", phase=ph, heap_a=a, heap_n=n)
                    return goto("pick", w.with_idset(_swap(s, 0, n)), v.set(n=n), e)
                return self.step(w, replace(f, pc="tail"), ctx)
            case "pick":
                r = btf_id_cmp_func(s.ids[1], s.ids[2])
                shift = int(r <= 0)
                e = cmp_ev(s, 1, 2, r, "pick", phase=ph, heap_a=a, heap_n=n)
                return goto("pop2", w, v.set(shift=shift, a=1 << shift), e)
            case "pop2":
                n = n - 1
                e = swap_ev(s, a, n, "extract2", phase=ph, heap_a=a, heap_n=n)
                return goto("leaf", w.with_idset(_swap(s, a, n)), v.set(n=n, b=a), e)
            case "tail":
                n = n - 1
                e = swap_ev(s, 0, n, "extract", phase="sortdown", heap_a=a, heap_n=n)
                return goto("last2", w.with_idset(_swap(s, 0, n)), v.set(n=n), e)
            case "last2":
                if n != 2:
                    return ret(None, w)
                r = btf_id_cmp_func(s.ids[0], s.ids[1])
                e = cmp_ev(s, 0, 1, r, "last2", phase="sortdown", heap_a=a, heap_n=n)
                return goto("last2swap", w, v, e) if r > 0 else ret(None, w, e)
            case "last2swap":
                e = swap_ev(s, 0, 1, "last2", phase="sortdown", heap_a=a, heap_n=0)
                return ret(None, w.with_idset(_swap(s, 0, 1)), e)
        return self._sift(w, f, s, ph)

    left_on_equal = False


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


SORT_OF_KERNEL = {"5.18": "sort", "6.17": Sort617.key}
"""The registry key of each kernel's ``sort()``: v5.18's (the v5.1 bottom-up heapsort) and 6.17's."""


def kernel_sort(ids: Sequence[int], kernel: str = "5.18") -> SortRun:
    """Sort ``ids`` exactly as lib/sort.c of ``kernel`` does, reporting every comparison and
    swap."""
    w = _scratch_world(ids)
    frame = new_frame(SORT_OF_KERNEL[kernel], {"base": _SCRATCH, "num": len(ids)})
    r = run_to_completion(w, (frame,), Ctx("-"))
    return SortRun(r.world.idset(_SCRATCH).ids, r.events)


def kernel_bsearch(key: int, ids: Sequence[int]) -> BsearchRun:
    """Search ``key`` in ``ids`` exactly as lib/bsearch.c does (sorted or not!)."""
    w = _scratch_world(ids)
    frame = new_frame("bsearch", {"set": _SCRATCH, "key": key, "base": 0, "num": len(ids)})
    r = run_to_completion(w, (frame,), Ctx("-"))
    return BsearchRun(bool(r.value), r.events)
