"""Lessons: the one narration source read by the TUI and the notebooks.

A lesson is a TOML file in ``lessons/`` (format: ``lessons/README.md``): a title, a default
scenario, and pages. Each page places the model at a position (scenario + variants + faults +
schedule prefix), narrates it, and may ask the learner to predict something that the model then
answers (:func:`answer`). Loading validates everything and reports the first problem as one line
naming the file and the place.

Lessons prove what they say: every page states **claims**, checkable facts about the state it
shows (where each thread is, module state and flags, cells, counts, aliasing, results), and a
prediction states its ``answer`` and may add claims about the state where it is revealed. Loading
checks each one against the model (:mod:`explorer.sim.claims`); a claim that does not hold is a
one-line error naming the file, the page and the claim.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from explorer.model.constants import HOOKS, TYPES
from explorer.model.records import dataclass
from explorer.model.state import cell_ids, table_of
from explorer.resources import lessons_dir
from explorer.sim import modern
from explorer.sim.claims import ClaimError, check_claims, parse_claim
from explorer.sim.engine import SimState, outcome
from explorer.sim.errors import InputError
from explorer.sim.scenario import Scenario
from explorer.sim.schedule import parse_tokens
from explorer.sim.session import RunResult, run
from explorer.sim.spec import Lesson, Page, Prediction
from explorer.sim.tomlfile import parse_toml, read_text, read_toml
from explorer.sim.variants import parse_options

LESSON_DIR = lessons_dir()
"""``lessons/`` (see :mod:`explorer.resources`)."""
FOCUS = ("table", "sort", "bsearch", "lanes", "trace", "outcomes")
PREDICT_KINDS = ("result", "cell", "table")


def _e(path: str, where: str, msg: str) -> InputError:
    return InputError(f"{path}: {where}: {msg}")


def _text(d: dict[str, Any], key: str, path: str, where: str, default: str | None = None) -> str:
    if key not in d:
        if default is None:
            raise _e(path, where, f"missing required key {key!r}")
        return default
    v = d[key]
    if not isinstance(v, str):
        raise _e(path, f"{where}.{key}", f"expected text, got {type(v).__name__}")
    return v


def _list(d: dict[str, Any], key: str, path: str, where: str) -> tuple[str, ...]:
    v = d.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise _e(path, f"{where}.{key}", "expected a list of text")
    return tuple(v)


def parse_lesson(data: dict[str, Any], path: str, slug: str, *, check: bool = True) -> Lesson:
    """The lesson in ``data`` (read from ``path``). With ``check`` (the default) every page is
    also run in the model and its claims, text and prediction checked (:func:`check_page`);
    without it only the file's form is checked, and a front checks each page when it opens it
    (a list of lessons to pick from needs no model run)."""
    allowed = {"title", "summary", "order", "scenario", "pages"}
    for k in data:
        if k not in allowed:
            raise _e(path, "top level",
                     f"unknown key {k!r} (allowed: {', '.join(sorted(allowed))})")
    title = _text(data, "title", path, "top level")
    default_sc = _text(data, "scenario", path, "top level", "")
    order = data.get("order", 99)
    if not isinstance(order, int):
        raise _e(path, "order", "expected a whole number")
    raw = data.get("pages")
    if not isinstance(raw, list) or not raw:
        raise _e(path, "pages", "a lesson needs at least one [[pages]] table")
    pages = []
    for i, p in enumerate(raw):
        where = f"pages[{i}]"
        if not isinstance(p, dict):
            raise _e(path, where, "expected a table")
        for k in p:
            if k not in {"title", "text", "scenario", "variants", "faults", "schedule", "focus",
                         "predict", "claims", "kernel"}:
                raise _e(path, where, f"unknown key {k!r}")
        sc_name = _text(p, "scenario", path, where, default_sc)
        if not sc_name:
            raise _e(path, where, "no scenario (set one at the top level or on the page)")
        kernel = _text(p, "kernel", path, where, "")
        try:
            sc = modern.load(sc_name, kernel or None)
        except InputError as e:  # name the key that gave the scenario: the page's, or the top
            place = f"{where}.scenario" if "scenario" in p else "scenario (top level)"
            raise _e(path, place, str(e)) from None
        variants, faults = _list(p, "variants", path, where), _list(p, "faults", path, where)
        schedule = _text(p, "schedule", path, where, "")
        try:
            opts = parse_options(variants, faults or sc.default_faults)
            at = run(sc, opts, schedule, complete=False) if check else None
            parse_tokens(schedule)  # its form, when it is run later
        except InputError as e:
            raise _e(path, where, str(e)) from None
        focus = _text(p, "focus", path, where, "table")
        if focus not in FOCUS:
            raise _e(path, f"{where}.focus", f"{focus!r} (allowed: {', '.join(FOCUS)})")
        page_title = _text(p, "title", path, where)
        place = f"{where} ({page_title!r})"
        claims = _claims(p, path, place)
        if not claims:
            raise _e(path, f"{place}.claims", "a page states at least one claim about the state "
                     "it shows (see lessons/README.md)")
        pred = _prediction(p.get("predict"), path, f"{place}.predict", sc)
        page = Page(page_title, _text(p, "text", path, where).strip(), schedule, focus, pred,
                    claims, kernel, scenario=sc_name, variants=variants,
                    faults=faults or sc.default_faults)
        if at is not None:
            _check_page_at(page, at, path, i)
        pages.append(page)
    return Lesson(slug, title, _text(data, "summary", path, "top level", "").strip(), order, path,
                  tuple(pages))


def check_page(page: Page, path: str, index: int) -> None:
    """Run page ``index`` of the lesson file ``path`` in the model: its schedule must replay,
    its claims and the fixed-pattern statements of its text hold, and its prediction's answer
    be the model's (else one :class:`InputError` naming the file and the page)."""
    try:
        at = run(modern.load(page.scenario, page.kernel or None), page.options, page.schedule,
                 complete=False)
    except InputError as e:
        raise _e(path, f"pages[{index}]", str(e)) from None
    _check_page_at(page, at, path, index)


def _check_page_at(page: Page, at: RunResult, path: str, index: int) -> None:
    place = f"pages[{index}] ({page.title!r})"
    _check(page.claims, at, path, place)
    _check_text(page.text, at, path, place)
    if page.predict is not None:
        _check_prediction(page, page.predict, path, f"{place}.predict")


def _claims(d: dict[str, Any], path: str, where: str) -> tuple[str, ...]:
    claims = _list(d, "claims", path, where)
    for i, c in enumerate(claims):
        try:
            parse_claim(c)
        except ClaimError as e:
            raise _e(path, f"{where}.claims[{i}]", f"{c!r}: {e}") from None
    return claims


def _check(claims: tuple[str, ...], r: RunResult, path: str, where: str) -> None:
    for i, c in enumerate(claims):
        why = check_claims((c,), r)
        if why:
            raise _e(path, f"{where}.claims[{i}]", f"claim {c!r} does not hold: {why[0]}")


_STEP = re.compile(r"\bsteps? (\d+)\b")
_NOT_NOW = "".join(f"(?<!{w} )" for w in ("once", "until", "when", "before", "after", "if",
                                          "unless", "while"))
_MOD_STATE = re.compile(_NOT_NOW + r"\b(?:[Tt]he module|(?P<mod>[a-z_][a-z0-9_]*)) is (?:now )?"
                        r"(?:MODULE_STATE_)?(?P<state>COMING|LIVE|GOING)\b")
_IN_INIT = re.compile(r"\b(?P<who>[A-Z]) is (?:still )?(?:inside|in) (?:its )?init\b")


def _check_text(text: str, r: RunResult, path: str, where: str) -> None:
    """The text's own statements about the state, where they follow a fixed pattern: a step it
    names must have been reached; "<module> is COMING/LIVE/GOING" and "L is in init" must hold.
    (Everything else the text says is backed by the page's claims.)"""
    text = " ".join(text.split())
    n = len(r.records)
    for m in _STEP.finditer(text):
        if int(m.group(1)) > n:
            raise _e(path, f"{where}.text", f"names step {m.group(1)}, but the page is at "
                     f"step {n}")
    w = r.final.world
    for m in _MOD_STATE.finditer(text):
        if m.group("mod") is not None and m.group("mod") not in w.modules:
            continue  # "x is LIVE" about something that is not a module of this scenario
        mods = [m.group("mod")] if m.group("mod") else list(w.modules)
        if not mods:
            continue
        want = f"MODULE_STATE_{m.group('state')}"
        if not any(w.module(x).state == want and not w.module(x).freed for x in mods):
            got = ", ".join(f"{x} {w.module(x).state}" for x in mods)
            raise _e(path, f"{where}.text", f"says {m.group(0)!r}, but the model shows {got}")
    for m in _IN_INIT.finditer(text):
        t = next((t for t in r.final.threads if t.letter == m.group("who")), None)
        if t is None:
            continue
        if not any(f.func.split("@")[0] == "module_init" for f in t.stack):
            at = t.top.func if t.top else f"finished ({t.result})"
            raise _e(path, f"{where}.text", f"says {m.group(0)!r}, but {t.name} is at {at}")


def _check_prediction(page: Page, pr: Prediction, path: str, where: str) -> None:
    at = reveal(page)  # run once: the answer and the prediction's claims are read there
    truth = answer_at(page, at.final)
    if truth not in pr.choices:
        raise _e(path, where, f"the model's answer {truth!r} is not among the choices "
                 f"{list(pr.choices)}")
    if pr.answer and pr.answer != truth:
        raise _e(path, f"{where}.answer", f"the page says {pr.answer!r}, the model says "
                 f"{truth!r}")
    if pr.claims:
        _check(pr.claims, at, path, where)


def _prediction(raw: Any, path: str, where: str, sc: Scenario) -> Prediction | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _e(path, where, "expected a table")
    kind = _text(raw, "kind", path, where, "result")
    if kind not in PREDICT_KINDS:
        raise _e(path, f"{where}.kind", f"{kind!r} (allowed: {', '.join(PREDICT_KINDS)})")
    choices = _list(raw, "choices", path, where)
    if len(choices) < 2:
        raise _e(path, f"{where}.choices", "give at least two choices")
    pr = Prediction(_text(raw, "question", path, where), choices, kind,
                    _text(raw, "thread", path, where, ""),
                    _text(raw, "btf", path, where, "vmlinux"),
                    _text(raw, "hook", path, where, ""), _text(raw, "type", path, where, ""),
                    _text(raw, "then", path, where, ""), _text(raw, "explain", path, where, ""),
                    _text(raw, "answer", path, where, ""), _claims(raw, path, where))
    if not pr.answer:
        raise _e(path, f"{where}.answer", "state the answer your text gives; it is checked "
                 "against the model")
    for k in raw:
        if k not in {"question", "choices", "kind", "thread", "btf", "hook", "type", "then",
                     "explain", "answer", "claims"}:
            raise _e(path, where, f"unknown key {k!r}")
    if kind == "result" and pr.thread not in {t.name for t in sc.threads}:
        raise _e(path, f"{where}.thread", f"{pr.thread!r} is not a thread of {sc.name} "
                 f"(threads: {', '.join(t.name for t in sc.threads)})")
    if kind == "cell":
        if pr.hook.upper() not in {h.short for h in HOOKS}:
            raise _e(path, f"{where}.hook", f"{pr.hook!r} (allowed: XDP, TC, STRUCT_OPS)")
        if pr.type.upper() not in {t.short for t in TYPES}:
            raise _e(path, f"{where}.type", f"{pr.type!r} (allowed: CHECK, ACQUIRE, RELEASE, "
                     "RET_NULL)")
    return pr


def reveal_schedule(page: Page) -> tuple[str, bool]:
    """How the page's prediction is answered: (the schedule to replay, and whether the threads
    then run on, in thread order, until none can: for a thread's result)."""
    pr = page.predict
    if pr is None:
        raise InputError("this page asks nothing")
    return page.schedule + pr.then, pr.kind == "result"


def reveal(page: Page) -> RunResult:
    """The state where the page's prediction is answered: the page's schedule, then ``then``
    (and, for a thread's result, the rest in thread order).

    A page of a built-in scenario is run once a process (its answer, its claims at the reveal
    and the reveal a front opens are the same run); a scenario file is read and run again."""
    if page.predict is None:
        raise InputError("this page asks nothing")
    if modern.is_file_name(page.scenario):
        return _reveal(page)
    return _reveal_builtin(page)


def _reveal(page: Page) -> RunResult:
    schedule, complete = reveal_schedule(page)
    sc = modern.load(page.scenario, page.kernel or None)
    return run(sc, page.options, schedule, complete=complete)


_reveal_builtin = lru_cache(maxsize=16)(_reveal)
""":func:`_reveal` of the last pages asked about (a page is a frozen, hashable value)."""


def answer(page: Page) -> str:
    """What the model says the answer to the page's prediction is (at :func:`reveal`)."""
    return answer_at(page, reveal(page).final)


def answer_at(page: Page, at: SimState) -> str:
    """The answer to the page's prediction in state ``at`` (its reveal state: :func:`reveal`;
    a front that has replayed the reveal already asks here, without running it again)."""
    pr = page.predict
    if pr is None:
        raise InputError("this page asks nothing")
    w = at.world
    if pr.kind == "result":
        return outcome(at)[pr.thread]
    if pr.kind == "table":
        if pr.btf not in w.btfs:
            return "NULL"
        return "NULL" if table_of(w, pr.btf) is None else "allocated"
    hook = next(h for h in HOOKS if h.short == pr.hook.upper())
    type_ = next(t for t in TYPES if t.short == pr.type.upper())
    ids = cell_ids(w, pr.btf, hook, type_) if pr.btf in w.btfs else None
    return "NULL" if ids is None else str(len(ids))


def _slug(p: Path) -> str:
    """``01-table.toml`` → ``table``."""
    return p.stem.split("-", 1)[-1]


def load_lesson_file(path: str | Path, *, check: bool = True) -> Lesson:
    p = Path(path)
    return parse_lesson(read_toml(p), str(p), _slug(p), check=check)


@dataclass(frozen=True, slots=True)
class LessonEntry:
    """A lesson file where a list of lessons places it, read no further than its top-level keys
    (:func:`load_lesson_file` reads the rest)."""

    slug: str
    order: int
    path: Path


_TABLE_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)


def _top_level(p: Path) -> dict[str, Any]:
    """The keys of ``p`` above its first ``[table]`` (``title``, ``order``…) without parsing its
    pages. Where the cut falls inside a value (a line of a multi-line string or array starts
    with ``[``), the cut text is no TOML and the whole file is read; a bad file is the same
    one-line error as a full read gives."""
    text = read_text(p)
    m = _TABLE_HEADER.search(text)
    if m is not None:
        try:
            return tomllib.loads(text[:m.start()])
        except tomllib.TOMLDecodeError:
            pass
    return parse_toml(text, p)


def lesson_entry(p: Path) -> LessonEntry:
    order = _top_level(p).get("order", 99)
    if not isinstance(order, int):
        raise _e(str(p), "order", "expected a whole number")
    return LessonEntry(_slug(p), order, p)


def lesson_index(directory: str | Path | None = None) -> list[LessonEntry]:
    """The lesson files of ``directory`` (default ``lessons/``) in lesson order, by ``order``
    then slug: which lesson is the first, and how many there are, without reading the pages."""
    d = Path(directory) if directory else LESSON_DIR
    return sorted((lesson_entry(p) for p in sorted(d.glob("*.toml"))),
                  key=lambda e: (e.order, e.slug))


def load_lessons(directory: str | Path | None = None, *, check: bool = True) -> list[Lesson]:
    """Every lesson in ``directory`` (default ``lessons/``), in order (``check``: see
    :func:`parse_lesson`)."""
    return [load_lesson_file(e.path, check=check) for e in lesson_index(directory)]
