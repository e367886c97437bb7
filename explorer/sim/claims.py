"""Claims: checkable facts a lesson page states about the state it shows.

A claim is one line of words (format and every form: ``lessons/README.md``), e.g.
``loader at do_init_module:going``, ``module nf_conntrack COMING``, ``module nf_conntrack flag
clear``, ``cell vmlinux STRUCT_OPS CHECK count 25``, ``cell nf_conntrack XDP ACQUIRE same TC
RET_NULL``, ``verifier done ENXIO``. :func:`parse_claim` checks its form; :func:`check_claims`
checks it against a run's final state and says, for each claim that does not hold, what the model
shows instead. Nothing is evaluated: a claim is matched word by word against a fixed grammar.
"""

from __future__ import annotations

from explorer.model.constants import HOOKS, TYPES
from explorer.model.records import dataclass
from explorer.model.state import BTF_MODULE_F_LIVE, IdSet, World, table_of
from explorer.sim.engine import SimState, ThreadState, can_step
from explorer.sim.session import RunResult

MODULE_STATES = {"UNFORMED": "MODULE_STATE_UNFORMED", "COMING": "MODULE_STATE_COMING",
                 "LIVE": "MODULE_STATE_LIVE", "GOING": "MODULE_STATE_GOING"}
_HOOKS = {h.short: int(h) for h in HOOKS}
_TYPES = {t.short: int(t) for t in TYPES}
CELL_FACTS = ("NULL", "count", "ids", "index", "sorted", "unsorted", "module", "kmalloc", "freed",
              "same", "differs")


class ClaimError(ValueError):
    """A claim that is not well formed."""


@dataclass(frozen=True, slots=True)
class Claim:
    """One checkable fact a lesson states, split into words: what it is about, and the text
    as written."""

    subject: str
    """``thread`` (a thread name or letter), ``module``, ``btf``, ``table``, ``cell``,
    ``pending``, ``step``, ``event``, ``trace``, ``heap`` or ``sort-cost``."""
    words: tuple[str, ...]
    text: str


def parse_claim(text: str) -> Claim:
    """Check a claim's form (not its truth); raise :class:`ClaimError` naming what is wrong."""
    w = tuple(text.split())
    if not w:
        raise ClaimError("an empty claim")
    head = w[0]
    if head in ("event", "trace"):
        if len(w) < 2:
            raise ClaimError(f"'{head} <text>': the text a step's events mention")
        return Claim(head, w[1:], text)
    if head in ("pending", "step"):
        if len(w) != 2 or not w[1].isdigit():
            raise ClaimError(f"'{head} <number>'")
        return Claim(head, w[1:], text)
    if head == "sort-cost":
        if len(w) != 5 or w[2] != "comparisons" or w[4] != "swaps" or not (
                w[1].isdigit() and w[3].isdigit()):
            raise ClaimError("'sort-cost <n> comparisons <m> swaps' (the latest sort() so far)")
        return Claim(head, (w[1], w[3]), text)
    if head == "heap":
        if len(w) != 5 or w[1] != "a" or w[3] != "n" or not all(
                x.lstrip("-").isdigit() for x in (w[2], w[4])):
            raise ClaimError("'heap a <number> n <number>' (the running sort's a and n)")
        return Claim(head, w[1:], text)
    if head == "module":
        if len(w) < 3:
            raise ClaimError("'module <name> COMING|LIVE|GOING|UNFORMED|freed', "
                             "'module <name> flag LIVE|clear' or 'module <name> refcnt <n>'")
        fact = w[2:]
        ok = (len(fact) == 1 and (fact[0] in MODULE_STATES or fact[0] == "freed")) or (
            len(fact) == 2 and fact[0] == "flag" and fact[1] in ("LIVE", "clear")) or (
            len(fact) == 2 and fact[0] == "refcnt" and fact[1].isdigit())
        if not ok:
            raise ClaimError(f"unknown module fact {' '.join(fact)!r}")
        return Claim(head, w[1:], text)
    if head == "btf":
        if len(w) != 3 or w[2] not in ("published", "unpublished", "absent"):
            raise ClaimError("'btf <name> published|unpublished|absent'")
        return Claim(head, w[1:], text)
    if head == "table":
        if len(w) != 3 or w[2] not in ("NULL", "allocated"):
            raise ClaimError("'table <btf> NULL|allocated'")
        return Claim(head, w[1:], text)
    if head == "cell":
        if len(w) < 5:
            raise ClaimError("'cell <btf> <HOOK> <TYPE> <fact>'")
        _cell_key(w[2], w[3])
        cfact = w[4]
        if cfact not in CELL_FACTS:
            raise ClaimError(f"unknown cell fact {cfact!r} (allowed: {', '.join(CELL_FACTS)})")
        if cfact == "count" and (len(w) != 6 or not w[5].isdigit()):
            raise ClaimError("'cell <btf> <HOOK> <TYPE> count <n>'")
        if cfact == "ids" and (len(w) < 6 or not all(x.isdigit() for x in w[5:])):
            raise ClaimError("'cell <btf> <HOOK> <TYPE> ids <id> <id> ...'")
        if cfact == "index" and (len(w) != 7 or not (w[5].isdigit() and w[6].isdigit())):
            raise ClaimError("'cell <btf> <HOOK> <TYPE> index <i> <id>'")
        if cfact in ("same", "differs"):
            if len(w) != 7:
                raise ClaimError(f"'cell <btf> <HOOK> <TYPE> {cfact} <HOOK> <TYPE>'")
            _cell_key(w[5], w[6])
        elif cfact not in ("count", "ids", "index") and len(w) != 5:
            raise ClaimError(f"'cell <btf> <HOOK> <TYPE> {cfact}' takes nothing after it")
        return Claim(head, w[1:], text)
    # a thread, by name or letter
    if len(w) < 2 or w[1] not in ("at", "in", "done", "running", "blocked", "runnable"):
        raise ClaimError("start with a thread name or letter and then at/in/done/running/"
                         "blocked/runnable, or with module/btf/table/cell/pending/step/event/"
                         "trace/heap/sort-cost")
    if w[1] in ("at", "in", "done") and len(w) != 3:
        raise ClaimError(f"'<thread> {w[1]} <{'result' if w[1] == 'done' else 'function'}>'")
    if w[1] in ("running", "blocked", "runnable") and len(w) != 2:
        raise ClaimError(f"'<thread> {w[1]}' takes nothing after it")
    return Claim("thread", w, text)


def _cell_key(hook: str, type_: str) -> tuple[int, int]:
    if hook not in _HOOKS:
        raise ClaimError(f"unknown hook {hook!r} (allowed: {', '.join(_HOOKS)})")
    if type_ not in _TYPES:
        raise ClaimError(f"unknown type {type_!r} (allowed: {', '.join(_TYPES)})")
    return _HOOKS[hook], _TYPES[type_]


def check_claims(claims: tuple[str, ...], r: RunResult) -> list[str]:
    """For each claim that does not hold at ``r``'s final state: what the model shows instead."""
    out = []
    for text in claims:
        why = _check(parse_claim(text), r)
        if why is not None:
            out.append(why)
    return out


def _thread(s: SimState, who: str) -> ThreadState | None:
    return next((t for t in s.threads if who in (t.name, t.letter)), None)


def _check(c: Claim, r: RunResult) -> str | None:
    s = r.final
    w = s.world
    if c.subject == "step":
        n = len(r.records)
        return None if n == int(c.words[0]) else f"the page is at step {n}"
    if c.subject == "pending":
        n = len(w.pending)
        return None if n == int(c.words[0]) else f"{n} store(s) are buffered"
    if c.subject in ("event", "trace"):
        needle = " ".join(c.words)
        recs = r.records[-1:] if c.subject == "event" else r.records
        texts = [e.text for rec in recs for e in rec.events] + [
            rec.summary for rec in recs]
        if any(needle in t for t in texts):
            return None
        last = r.records[-1].summary if r.records else "(no step yet)"
        return f"no {'last step' if c.subject == 'event' else 'step'} mentions it (last: {last})"
    if c.subject == "sort-cost":
        return _sort_cost(r, int(c.words[0]), int(c.words[1]))
    if c.subject == "heap":
        for t in s.threads:
            for f in reversed(t.stack):
                if f.func == "sort":
                    heap = (f.vars.get("a"), f.vars.get("n"))
                    if heap == (int(c.words[1]), int(c.words[3])):
                        return None
                    return f"the sort is at a={heap[0]} n={heap[1]}"
        return "no sort is running"
    if c.subject == "module":
        return _module(w, c.words[0], c.words[1:])
    if c.subject == "btf":
        name, fact = c.words
        if name not in w.btfs:
            return None if fact == "absent" else f"there is no BTF {name!r}"
        pub = w.btf(name).published
        got = "published" if pub else "unpublished"
        return None if got == fact else f"the BTF is {got}"
    if c.subject == "table":
        name, fact = c.words
        if name not in w.btfs:
            return f"there is no BTF {name!r}"
        got = "NULL" if table_of(w, name) is None else "allocated"
        return None if got == fact else f"{name}->kfunc_set_tab is {got}"
    if c.subject == "cell":
        return _cell(w, c.words)
    return _thread_claim(s, c.words)


def _sort_cost(r: RunResult, cmps: int, swaps: int) -> str | None:
    """Comparisons and swaps of the latest sort() call so far (one thread's steps)."""
    start = next((k for k in range(len(r.records) - 1, -1, -1)
                  if r.records[k].func == "__btf_populate_kfunc_set"
                  and r.records[k].pc == "sort"), None)
    if start is None:
        return "no sort() has started yet"
    letter = r.records[start].letter
    evs = [e for rec in r.records[start + 1:] if rec.letter == letter and rec.func == "sort"
           for e in rec.events]
    got = (sum(1 for e in evs if e.kind == "cmp"), sum(1 for e in evs if e.kind == "swap"))
    return None if got == (cmps, swaps) else \
        f"the latest sort() made {got[0]} comparisons and {got[1]} swaps"


def _module(w: World, name: str, fact: tuple[str, ...]) -> str | None:
    if name not in w.modules:
        return f"there is no module {name!r}"
    m = w.module(name)
    if fact[0] == "freed":
        return None if m.freed else f"{name} is not freed ({m.state})"
    if fact[0] in MODULE_STATES:
        want = MODULE_STATES[fact[0]]
        if m.state == want and not m.freed:
            return None
        return f"{name} is {'freed' if m.freed else m.state}"
    if fact[0] == "refcnt":
        return None if m.refcnt == int(fact[1]) else f"{name}'s refcnt is {m.refcnt}"
    e = w.btf_module_entry(name)
    live = bool(e is not None and e.flags & BTF_MODULE_F_LIVE)
    got = "LIVE" if live else "clear"
    return None if got == fact[1] else f"BTF_MODULE_F_LIVE is {got} (as other CPUs see it)"


def _cell_set(w: World, btf: str, hook: int, type_: int) -> tuple[str | None, IdSet | None]:
    t = table_of(w, btf)
    ptr = t.cell(hook, type_) if t is not None else None
    return ptr, (w.find_idset(ptr) if ptr is not None else None)


def _cell(w: World, words: tuple[str, ...]) -> str | None:
    btf, hook, type_, fact, *rest = words
    if btf not in w.btfs:
        return f"there is no BTF {btf!r}"
    h, t = _cell_key(hook, type_)
    ptr, st = _cell_set(w, btf, h, t)
    where = f"[{hook}][{type_}]"
    if fact == "NULL":
        return None if ptr is None else f"{where} points at {ptr}"
    if ptr is None:
        return f"{where} is NULL"
    if fact == "freed":
        return None if st is None or st.freed else f"{where} points at live memory {ptr}"
    if st is None or st.freed:
        return f"{where} points at freed memory {ptr}"
    if fact == "count":
        return None if st.cnt == int(rest[0]) else f"{where} holds {st.cnt} IDs"
    if fact == "ids":
        want = tuple(int(x) for x in rest)
        return None if st.valid == want else f"{where} holds {list(st.valid)}"
    if fact == "index":
        i, want_id = int(rest[0]), int(rest[1])
        got = st.valid[i] if i < len(st.valid) else None
        return None if got == want_id else f"{where}[{i}] is {got}"
    if fact in ("sorted", "unsorted"):
        ok = list(st.valid) == sorted(st.valid)
        return None if ok == (fact == "sorted") else f"{where} is {'' if ok else 'un'}sorted"
    if fact in ("module", "kmalloc"):
        region = "module" if st.region == "module" else "kmalloc"
        return None if region == fact else f"{where} points into {region} memory"
    h2, t2 = _cell_key(rest[0], rest[1])
    ptr2, _ = _cell_set(w, btf, h2, t2)
    same = ptr2 == ptr
    if same == (fact == "same"):
        return None
    return f"{where} -> {ptr}, [{rest[0]}][{rest[1]}] -> {ptr2}"


def _thread_claim(s: SimState, words: tuple[str, ...]) -> str | None:
    who, verb, *rest = words
    t = _thread(s, who)
    if t is None:
        names = ", ".join(f"{x.letter}={x.name}" for x in s.threads)
        return f"there is no thread {who!r} ({names})"
    if verb == "done":
        if t.result == rest[0]:
            return None
        return f"{t.name} {'returned ' + t.result if t.result else 'has not finished'}"
    if verb == "running":
        return None if not t.done else f"{t.name} has finished ({t.result})"
    if verb in ("blocked", "runnable"):
        ok = can_step(s, t)
        if ok == (verb == "runnable"):
            return None
        return f"{t.name} is {'runnable' if ok else 'blocked'}"
    if t.done or t.top is None:
        return f"{t.name} has finished ({t.result})"
    func, _, label = rest[0].partition(":")
    if verb == "in":
        return None if any(f.func == func for f in t.stack) else \
            f"{t.name}'s stack is {' > '.join(f.func for f in t.stack)}"
    top = t.top
    if top.func == func and (not label or top.pc == label):
        return None
    return f"{t.name} is at {top.func}:{top.pc}"
