"""Heapsort you can see: phases, one-line narration, the implicit heap tree, and your own input.

lib/sort.c sorts in place, but it thinks of ``ids[0, n)`` as a binary tree (node ``i`` has the
children ``2i+1`` and ``2i+2``) and of ``ids[n, num)`` as the sorted tail. This module turns the
model's sort and bsearch events into what a learner reads: the phase (*build heap* while ``a``
counts down, *sort down* once the maximum is being extracted), a sentence per step, and the tree
laid out as rows of text segments (box-drawing connectors) that the TUI styles and the notebook
can print. :class:`SortLab` replays the kernel's sort (then bsearch) of an array the learner typed.
Everything here is plain data: no UI toolkit.
"""

from __future__ import annotations

from explorer.model.libsort import kernel_bsearch, kernel_sort
from explorer.model.machine import Event
from explorer.model.records import dataclass
from explorer.sim.errors import InputError

MAX_INPUT_IDS = 1000
"""The most values a learner may type (the CLI has no such limit; the fronts draw every one)."""

PHASE_LABELS = {"build": "build heap", "sortdown": "sort down", "done": "sorted",
                "search": "bsearch", "": ""}

# The symbols that mark roles (so they read without colour too); the fronts' legends say them.
SYM_TAIL = "✓"
"""An element of the sorted tail ``[n, num)``: in its final place."""
SYM_BOUNDARY = "│"
"""The heap boundary ``n``: the heap ``[0, n)`` on its left, the sorted tail on its right."""
SYM_ROOT = "▸"
"""``a``: the element being sifted down."""
SYM_PLAY = "*"
"""The two elements the last step compared or swapped (``*x*``)."""


def phase_label(phase: str) -> str:
    return PHASE_LABELS.get(phase, phase)


def _rel(r: int) -> str:
    return "≥" if r >= 0 else "<"


def narrate(e: Event) -> str:
    """One line saying what a sort/bsearch event did and why (e.g. ``106106 < 106124 → …``)."""
    i, j = e.get("i"), e.get("j")
    x, y = e.get("a"), e.get("b")
    at = e.get("at")
    if e.kind == "cmp":
        r = int(e.get("result") or 0)
        if at == "leaf":
            left = bool(e.get("left")) if e.get("left") is not None else r >= 0  # 6.17: > 0
            return (f"leaf search: {x} {_rel(r)} {y} → follow the "
                    + (f"left child [{i}]" if left else f"right child [{j}]"))
        if at == "pick":  # 6.17's double pop
            return (f"{x} {_rel(r)} {y}: the larger child, the second largest, goes to the end "
                    f"next")
        if at == "last2":
            return f"last two: {x} {_rel(r)} {y}" + (" → swap them" if r > 0 else ": in order")
        if r >= 0:
            return (f"{x} ≥ {y} → [{i}] belongs above [{j}]: climb back to its parent "
                    f"[{(int(j or 0) - 1) // 2}]")
        return f"{x} < {y} → stop sifting at [{j}], swap [{i}] down into place"
    if e.kind == "swap":
        if at == "extract2":
            return (f"swap the second largest {x} at [{i}] with {y} at [{j}]: {x} is final, the "
                    f"heap shrinks to [0, {j})")
        if at == "last2":
            return f"swap {x} at [0] and {y} at [1]: sorted"
        if at == "extract":
            return (f"swap the maximum {x} at [0] with {y} at [{j}]: {x} is final, the heap "
                    f"shrinks to [0, {j})")
        return f"swap {x} at [{i}] and {y} at [{j}]: rotate along the sift-down path"
    if e.kind == "probe":
        r = int(e.get("result") or 0)
        key, v, k = e.get("key"), e.get("value"), e.get("index")
        if r == 0:
            return f"key {key} = {v} at [{k}] → found"
        if r > 0:
            return f"key {key} > {v} at [{k}] → search right of [{k}]"
        return f"key {key} < {v} at [{k}] → search left of [{k}]"
    return e.text


# -- your own input ------------------------------------------------------------------------------


def parse_ids(text: str, what: str = "array") -> tuple[int, ...]:
    """Numbers separated by spaces or commas (decimal, or 0x hex), as u32 BTF IDs.

    Raises :class:`InputError` with one line on an empty array, a value that is not a whole
    number, one outside u32, or more than :data:`MAX_INPUT_IDS` values."""
    parts = [p for p in text.replace(",", " ").split() if p]
    if not parts:
        raise InputError(f"{what}: empty: type some IDs, e.g. 5 3 9 1 7")
    if len(parts) > MAX_INPUT_IDS:
        raise InputError(f"{what}: {len(parts)} values: at most {MAX_INPUT_IDS}")
    return tuple(parse_u32(p, f"{what}: value {k}") for k, p in enumerate(parts, 1))


def parse_u32(text: str, what: str) -> int:
    """One u32 (decimal, or 0x hex); else :class:`InputError`, its line led by ``what``
    (``KEY:``, ``array: value 2``)."""
    try:
        n = int(text, 0)
    except ValueError:
        raise InputError(f"{what} {text!r} is not a whole number") from None
    if not 0 <= n <= 0xFFFF_FFFF:
        raise InputError(f"{what} {text} is outside u32 (0..4294967295)")
    return n


def parse_key(text: str) -> int | None:
    """A search key (empty: none). Raises :class:`InputError` (one line) when it is bad."""
    if not text.strip():
        return None
    parts = text.replace(",", " ").split()
    if len(parts) != 1:
        raise InputError(f"key: {text.strip()!r}: one number, please")
    return parse_ids(parts[0], "key")[0]


LAB_ADDR = "your array"
"""What a lab's :class:`ArrayView` shows where a session's shows the array's address."""

CHECKPOINT = 64
"""The sort lab keeps the array every this many events (memory: num × events / 64)."""


def _apply_swap(cur: list[int], e: Event) -> None:
    if e.kind == "swap":
        i, j = int(e.get("i") or 0), int(e.get("j") or 0)
        cur[i], cur[j] = cur[j], cur[i]


@dataclass(frozen=True, slots=True)
class ArrayView:
    """An array being sorted (or last sorted) or searched, with the positions in play."""

    kind: str
    """``sort`` or ``bsearch``."""
    addr: str
    label: str
    ids: tuple[int, ...]
    active: bool
    """True while the sort/bsearch is still running."""
    i: int = -1
    j: int = -1
    op: str = ""
    """``cmp``, ``swap`` or ``probe`` for the last event."""
    heap_a: int = -1
    heap_n: int = -1
    base: int = -1
    num: int = -1
    pivot: int = -1
    key: int = -1
    found: bool | None = None
    comparisons: int = 0
    swaps: int = 0
    note: str = ""
    phase: str = ""
    """``build`` (heapify), ``sortdown`` (extracting maxima), ``done`` or ``search``."""
    narration: str = ""
    """One line: what the last event did and why (``106106 < 106124 → stop sifting, …``)."""

    @property
    def phase_label(self) -> str:
        return phase_label(self.phase)



class SortLab:
    """The kernel's sort of an array you typed, then (with a key) its bsearch, one event a step.

    The timeline is computed once (the model's :func:`kernel_sort` / :func:`kernel_bsearch`); a
    cursor moves along it, so back and forward are free."""

    def __init__(self, ids: tuple[int, ...] = (5, 3, 9, 1, 7), key: int | None = None) -> None:
        self.ids = tuple(ids)
        self.key = key
        run = kernel_sort(self.ids)
        self.sorted = run.sorted
        self.sort_events = run.events
        self.search_events: tuple[Event, ...] = ()
        self.found: bool | None = None
        if key is not None:
            b = kernel_bsearch(key, self.sorted)
            self.search_events, self.found = b.events, b.found
        self.events = self.sort_events + self.search_events
        # the array after every CHECKPOINT-th event; others are replayed from the one before
        self._checkpoints = [self.ids]
        cur = list(self.ids)
        for k, e in enumerate(self.sort_events, 1):
            _apply_swap(cur, e)
            if k % CHECKPOINT == 0:
                self._checkpoints.append(tuple(cur))
        self.cursor = 0

    def _array_at(self, k: int) -> tuple[int, ...]:
        """The array after ``k`` sort events."""
        base = k // CHECKPOINT
        cur = list(self._checkpoints[base])
        for e in self.sort_events[base * CHECKPOINT: k]:
            _apply_swap(cur, e)
        return tuple(cur)

    @classmethod
    def from_text(cls, ids: str, key: str = "") -> SortLab:
        """Parse both inputs first; on bad input raise one line (the caller keeps its lab)."""
        parsed = parse_ids(ids)
        return cls(parsed, parse_key(key))

    @property
    def length(self) -> int:
        return len(self.events)

    def step(self) -> bool:
        """One event on; False (nothing moves) at the end."""
        return self._move(self.cursor + 1)

    def back(self) -> bool:
        """One event back; False (nothing moves) at the start."""
        return self._move(self.cursor - 1)

    def jump(self, n: int) -> None:
        if not self._move(n):
            raise InputError(f"step {n}: out of range (0..{self.length})")

    def _move(self, n: int) -> bool:
        if not 0 <= n <= self.length:
            return False
        self.cursor = n
        return True

    def frame(self) -> ArrayView:
        """The array after :attr:`cursor` events, as the fronts draw a session's sort/bsearch
        (``comparisons`` of a search counts its probes)."""
        k, ns = self.cursor, len(self.sort_events)
        num = len(self.ids)
        at = f"step {k}/{self.length}"
        if k <= ns:
            ids = self._array_at(k)
            note = f"lib/sort.c heapsort, {at}"
            if k == 0:
                # the model's first state (lib/sort.c's declarations): n = num, a = num / 2
                return ArrayView("sort", LAB_ADDR, "your IDs", ids, num >= 2, heap_a=num // 2,
                                 heap_n=num, note=note, phase="build" if num >= 2 else "done",
                                 narration=f"{num} IDs to sort: a = {num // 2}, n = {num}; "
                                 "step to begin" if num >= 2 else "0 or 1 element: already sorted")
            e = self.sort_events[k - 1]
            done = k == ns
            cmps = sum(1 for e in self.sort_events[:k] if e.kind == "cmp")
            return ArrayView("sort", LAB_ADDR, "your IDs", ids, not done, int(e.get("i") or 0),
                             int(e.get("j") or 0), e.kind, heap_a=int(e.get("heap_a") or 0),
                             heap_n=0 if done else int(e.get("heap_n") or 0), comparisons=cmps,
                             swaps=k - cmps, note=note,
                             phase="done" if done else str(e.get("phase")),
                             narration=narrate(e) + ("  (sorted)" if done else ""))
        e = self.search_events[k - ns - 1]
        last = k == self.length
        probe = int(e.get("index") or 0)
        return ArrayView("bsearch", LAB_ADDR, "your IDs, sorted", self.sorted, not last, probe,
                         op="probe", base=int(e.get("base") or 0), num=int(e.get("num") or 0),
                         pivot=probe, key=int(e.get("key") or 0),
                         found=self.found if last else None, comparisons=k - ns,
                         note=f"lib/bsearch.c, {at}", phase="search", narration=narrate(e))


# -- the implicit heap tree as rows of text ------------------------------------------------------

Segment = tuple[str, str]
"""(text, role): roles ``edge``, ``heap``, ``tail``, ``play``, ``root``, ``index``, ``note``,
``''`` (padding)."""


@dataclass(frozen=True, slots=True)
class HeapTree:
    """The tree laid out for a monospace grid: rows of segments, and what was left out."""

    rows: tuple[tuple[Segment, ...], ...]
    compact: bool
    """True: nodes show their index only (the values are in the array beside the tree)."""
    levels_drawn: int
    levels: int

    def plain(self) -> str:
        return "\n".join("".join(t for t, _ in row).rstrip() for row in self.rows)


def _node_role(k: int, n: int, i: int, j: int, a: int, active: bool) -> str:
    if k in (i, j):
        return "play"
    if k >= n:
        return "tail"
    if active and k == a:
        return "root"
    return "heap"


def _label(k: int, v: int, role: str, compact: bool) -> str:
    body = str(k) if compact else str(v)
    if role == "play":
        return f"{SYM_PLAY}{body}{SYM_PLAY}"
    if role == "tail":
        return f"{SYM_TAIL}{body}"
    if role == "root":
        return f"{SYM_ROOT}{body}"
    return body


def heap_tree(ids: tuple[int, ...], *, heap_n: int = -1, heap_a: int = -1, i: int = -1,
              j: int = -1, active: bool = True, width: int = 80) -> HeapTree:
    """Lay out ``ids`` as lib/sort.c's implicit tree within ``width`` columns.

    Each level is a line of node labels (values, with their ``[index]`` on a second line) and a
    line of ``┌──┴──┐`` connectors to the next. Too wide with values: nodes show indices only
    (``compact``). Still too wide: the deepest levels are left out and a note says which."""
    num = len(ids)
    if num == 0:
        return HeapTree(((("(empty)", "note"),),), False, 0, 0)
    n = num if heap_n < 0 else heap_n
    levels = num.bit_length()
    roles = [_node_role(k, n, i, j, heap_a, active) for k in range(num)]

    def slot(compact: bool) -> int:
        w = max(max(len(_label(k, ids[k], roles[k], compact)) for k in range(num)),
                0 if compact else len(str(num - 1)) + 2)
        return w + 1

    compact = False
    drawn = levels
    if slot(False) * (1 << (levels - 1)) > width:
        compact = True
        while drawn > 1 and slot(True) * (1 << (drawn - 1)) > width:
            drawn -= 1
    sw = slot(compact)
    total = sw * (1 << (drawn - 1))
    rows: list[tuple[Segment, ...]] = []
    for lv in range(drawn):
        first, count = (1 << lv) - 1, 1 << lv
        span = total // count
        centers = [first_center + span // 2 for first_center in range(0, total, span)]
        members = [k for k in range(first, min(first + count, num))]
        line: list[Segment] = []
        idx_line: list[Segment] = []
        pos = ipos = 0
        for m, k in enumerate(members):
            c = centers[m]
            lab = _label(k, ids[k], roles[k], compact)
            start = max(pos, c - len(lab) // 2)
            line += [(" " * (start - pos), ""), (lab, roles[k])]
            pos = start + len(lab)
            if not compact:
                il = f"[{k}]"
                istart = max(ipos, c - len(il) // 2)
                idx_line += [(" " * (istart - ipos), ""), (il, "index")]
                ipos = istart + len(il)
        rows.append(tuple(line))
        if not compact:
            rows.append(tuple(idx_line))
        if lv + 1 >= drawn:
            break
        # connectors from this level's nodes to their children
        child_centers = [c + span // 4 * d for c in centers for d in (-1, 1)]
        grid = [" "] * total
        kinds = [""] * total
        for m, k in enumerate(members):
            kids = [2 * k + 1, 2 * k + 2]
            kid_x = [child_centers[2 * m], child_centers[2 * m + 1]]
            present = [x for kid, x in zip(kids, kid_x, strict=True) if kid < num]
            if not present:
                continue
            c = centers[m]
            lo, hi = present[0], present[-1] if len(present) > 1 else c
            for x in range(lo, max(hi, c) + 1):
                grid[x] = "─"
                kinds[x] = "edge"
            grid[lo] = "┌"
            if len(present) > 1:
                grid[hi] = "┐"
                grid[c] = "┴"
            else:
                grid[c] = "┘"
            # an edge into the sorted tail is dashed: that child is not in the heap any more
            if kids[0] >= n:
                _dash(grid, lo, c)
            if len(present) > 1 and kids[1] >= n:
                _dash(grid, c, hi)
        rows.append(_segments(grid, kinds))
    if drawn < levels:
        hidden_from = (1 << drawn) - 1
        rows.append(((f"… levels {drawn}..{levels - 1} (nodes [{hidden_from}]..[{num - 1}]) not "
                      "drawn: widen the panel, or read them in the array", "note"),))
    return HeapTree(tuple(rows), compact, drawn, levels)


def _dash(grid: list[str], lo: int, hi: int) -> None:
    for x in range(lo, hi + 1):
        if grid[x] == "─":
            grid[x] = "╌"


def _segments(grid: list[str], kinds: list[str]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for ch, kd in zip(grid, kinds, strict=True):
        if out and out[-1][1] == kd:
            out[-1] = (out[-1][0] + ch, kd)
        else:
            out.append((ch, kd))
    return tuple(out)


def array_segments(ids: tuple[int, ...], *, heap_n: int = -1, heap_a: int = -1, i: int = -1,
                   j: int = -1, active: bool = True) -> tuple[Segment, ...]:
    """The array in one line with the same symbols: ``*x*`` in play, ``▸`` the sift root,
    ``│`` the heap boundary, ``✓`` the sorted tail."""
    n = len(ids) if heap_n < 0 else heap_n
    out: list[Segment] = []
    for k, v in enumerate(ids):
        if k == n and 0 < n < len(ids):
            out.append((SYM_BOUNDARY + " ", "edge"))
        role = _node_role(k, n, i, j, heap_a, active)
        out.append((_label(k, v, role, False), role))
        out.append((" ", ""))
    return tuple(out)
