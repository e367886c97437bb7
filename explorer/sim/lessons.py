"""Lessons: the one narration source read by the TUI and the notebooks.

A lesson is a TOML file in ``lessons/`` (format: ``lessons/README.md``): a title, a default
scenario, and pages. Each page places the model at a position (scenario + variants + faults +
schedule prefix), narrates it, and may ask the learner to predict something that the model then
answers (:func:`answer`). Loading validates everything and reports the first problem as one line
naming the file and the place.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.model.constants import HOOKS, TYPES
from explorer.model.state import cell_ids, table_of
from explorer.resources import lessons_dir
from explorer.sim.errors import InputError
from explorer.sim.scenario import Scenario, load_scenario
from explorer.sim.session import run
from explorer.sim.variants import Options, parse_options

LESSON_DIR = lessons_dir()
"""``lessons/`` (see :mod:`explorer.resources`)."""
FOCUS = ("table", "sort", "bsearch", "lanes", "trace", "outcomes")
PREDICT_KINDS = ("result", "cell", "table")


@dataclass(frozen=True, slots=True)
class Prediction:
    question: str
    choices: tuple[str, ...]
    kind: str
    thread: str = ""
    btf: str = "vmlinux"
    hook: str = ""
    type: str = ""
    then: str = ""
    explain: str = ""


@dataclass(frozen=True, slots=True)
class Page:
    title: str
    text: str
    scenario: str
    variants: tuple[str, ...]
    faults: tuple[str, ...]
    schedule: str
    focus: str
    predict: Prediction | None

    def options(self) -> Options:
        return parse_options(self.variants, self.faults)


@dataclass(frozen=True, slots=True)
class Lesson:
    slug: str
    title: str
    summary: str
    order: int
    path: str
    pages: tuple[Page, ...]


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


def parse_lesson(data: dict[str, Any], path: str, slug: str) -> Lesson:
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
                         "predict"}:
                raise _e(path, where, f"unknown key {k!r}")
        sc_name = _text(p, "scenario", path, where, default_sc)
        if not sc_name:
            raise _e(path, where, "no scenario (set one at the top level or on the page)")
        try:
            sc = load_scenario(sc_name)
        except InputError as e:
            raise _e(path, f"{where}.scenario", str(e)) from None
        variants, faults = _list(p, "variants", path, where), _list(p, "faults", path, where)
        schedule = _text(p, "schedule", path, where, "")
        try:
            opts = parse_options(variants, faults or sc.default_faults)
            run(sc, opts, schedule, complete=False)
        except InputError as e:
            raise _e(path, where, str(e)) from None
        focus = _text(p, "focus", path, where, "table")
        if focus not in FOCUS:
            raise _e(path, f"{where}.focus", f"{focus!r} (allowed: {', '.join(FOCUS)})")
        pred = _prediction(p.get("predict"), path, f"{where}.predict", sc)
        pages.append(Page(_text(p, "title", path, where), _text(p, "text", path, where).strip(),
                          sc_name, variants, faults or sc.default_faults, schedule, focus, pred))
    return Lesson(slug, title, _text(data, "summary", path, "top level", "").strip(), order, path,
                  tuple(pages))


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
                    _text(raw, "then", path, where, ""), _text(raw, "explain", path, where, ""))
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


def answer(page: Page) -> str:
    """What the model says the answer to the page's prediction is."""
    pr = page.predict
    if pr is None:
        raise InputError("this page asks nothing")
    sc = load_scenario(page.scenario)
    r = run(sc, page.options(), page.schedule + pr.then, complete=pr.kind == "result")
    w = r.final.world
    if pr.kind == "result":
        return r.outcome[pr.thread]
    if pr.kind == "table":
        if pr.btf not in w.btfs:
            return "NULL"
        return "NULL" if table_of(w, pr.btf) is None else "allocated"
    hook = next(h for h in HOOKS if h.short == pr.hook.upper())
    type_ = next(t for t in TYPES if t.short == pr.type.upper())
    ids = cell_ids(w, pr.btf, hook, type_) if pr.btf in w.btfs else None
    return "NULL" if ids is None else str(len(ids))


def load_lesson_file(path: str | Path) -> Lesson:
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise InputError(f"{p}: cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{p}: byte {e.start}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"{p}: {e}") from None
    slug = p.stem.split("-", 1)[-1] if "-" in p.stem else p.stem
    return parse_lesson(data, str(p), slug)


def load_lessons(directory: str | Path | None = None) -> list[Lesson]:
    """Every lesson in ``directory`` (default ``lessons/``), in order."""
    d = Path(directory) if directory else LESSON_DIR
    lessons = [load_lesson_file(p) for p in sorted(d.glob("*.toml"))]
    return sorted(lessons, key=lambda l_: (l_.order, l_.slug))
