"""Plain-data reports of runs, explorations, sorts and searches (for the CLI's text and JSON).

Every function returns JSON-ready dicts; :mod:`explorer.cli` prints them.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from explorer.model.constants import BTF_KFUNC_SET_MAX_CNT, HOOKS, TYPES
from explorer.model.libsort import kernel_bsearch, kernel_sort
from explorer.model.state import World, table_of
from explorer.model.v6.constants import KERNEL as KERNEL6
from explorer.model.v6.registry import IdSet8, is_v6_tab
from explorer.resources import lessons_dir, notebooks_dir
from explorer.sim import modern
from explorer.sim.explore import ExploreResult, explore, witness_note
from explorer.sim.lessons import load_lesson_file, load_lessons
from explorer.sim.scenario import Scenario, load_scenario
from explorer.sim.schedule import COUNT_MEANING, WITNESS_RULE, format_schedule
from explorer.sim.session import RunResult, run
from explorer.sim.variants import FAULTS, VARIANTS, Options, parse_options
from explorer.views.heap import narrate


def options_for(sc: Scenario, variants: list[str], faults: list[str]) -> Options:
    """Variants and faults as given; the scenario's default faults when none are given."""
    return parse_options(variants, faults or list(sc.default_faults))


def scenarios_report() -> dict[str, Any]:
    out = []
    for name in modern.all_names():
        sc = modern.load(name)
        out.append({
            "name": sc.name, "title": sc.title, "description": sc.description,
            "kernel": sc.kernel, "versions": list(modern.versions(name)),
            "snapshot": sc.snapshot,
            "threads": [{"letter": t.letter, "name": t.name, "kind": t.kind} for t in sc.threads],
            "variants": list(sc.variants), "faults": list(sc.faults),
            "default_faults": list(sc.default_faults),
        })
    from explorer.sim.kernel_scenario import MY_KERNEL, kernel_status

    ok, why = kernel_status()
    mine: dict[str, Any] = {"name": MY_KERNEL, "available": ok, "description": why,
                            "versions": list(modern.versions(MY_KERNEL))}
    if ok:
        sc = load_scenario(MY_KERNEL)
        mine.update(title=sc.title, kernel=sc.kernel, variants=list(sc.variants),
                    faults=list(sc.faults), default_faults=[], notes=list(sc.notes),
                    threads=[{"letter": t.letter, "name": t.name, "kind": t.kind}
                             for t in sc.threads])
    return {
        "my_kernel": mine,
        "scenarios": out,
        "variants": {v.name: {"title": v.title, "description": v.description,
                              "not_the_kernel": True} for v in VARIANTS.values()},
        "faults": {f.name: {"title": f.title, "description": f.description}
                   for f in FAULTS.values()},
    }


def lessons_report(paths: list[str] | None = None) -> dict[str, Any]:
    """The lessons in order: number, title, pages, scenarios and the notebook of each, and how
    many claims and predictions each states. Loading a lesson checks every claim and answer
    against the model, so a lesson that does not hold raises InputError (one line). ``paths``:
    check these lesson files instead of the built-in ones."""
    src, nbs = lessons_dir(), notebooks_dir()
    out = []
    lessons = [load_lesson_file(p) for p in paths] if paths else load_lessons()
    for ls in lessons:
        stem = PurePath(ls.path).stem
        scenarios = list(dict.fromkeys(p.scenario for p in ls.pages))
        notebook = f"{stem}.ipynb"
        out.append({
            "number": ls.order, "slug": ls.slug, "title": ls.title, "summary": ls.summary,
            "pages": len(ls.pages), "scenario": scenarios[0], "scenarios": scenarios,
            "source": ls.path, "notebook": notebook if (nbs / notebook).is_file() else None,
            "claims": sum(len(p.claims) + (len(p.predict.claims) if p.predict else 0)
                          for p in ls.pages),
            "predictions": sum(1 for p in ls.pages if p.predict is not None),
        })
    return {"lessons_dir": str(src), "notebooks_dir": str(nbs), "lessons": out}


def table_report(w: World, btf: str) -> dict[str, Any] | None:
    """``btf->kfunc_set_tab`` as other CPUs see it: None, or hook → type → cell."""
    if btf not in w.btfs:
        return None
    tab = table_of(w, btf)
    if tab is None:
        return None
    if is_v6_tab(tab):
        return _table_report_v6(w, tab)
    cells: dict[str, dict[str, Any]] = {}
    for h in HOOKS:
        row: dict[str, Any] = {}
        for t in TYPES:
            ptr = tab.cell(h, t)
            s = w.find_idset(ptr) if ptr is not None else None
            if ptr is None:
                row[t.short] = None
            elif s is None:
                row[t.short] = {"addr": ptr, "freed": True}
            else:
                row[t.short] = {"addr": ptr, "cnt": s.cnt, "ids": list(s.valid),
                                "region": s.region, "symbol": s.symbol, "freed": s.freed}
        cells[h.short] = row
    return {"addr": tab.addr, "max_cnt": BTF_KFUNC_SET_MAX_CNT, "cells": cells}


def _table_report_v6(w: World, tab: Any) -> dict[str, Any]:
    """A 6.17 table: hook → its set8 (IDs with their flags) and the hook's filters."""
    from explorer.model.v6.constants import HOOKS as HOOKS6
    from explorer.model.v6.constants import flag_names

    cells: dict[str, Any] = {}
    filters: dict[str, list[str]] = {}
    for h in HOOKS6:
        ptr = tab.cell(int(h))
        s = w.find_idset(ptr) if ptr is not None else None
        if tab.filters[int(h)]:
            filters[h.short] = [f[0] for f in tab.filters[int(h)]]
        if ptr is None:
            cells[h.short] = None
        elif s is None:
            cells[h.short] = {"addr": ptr, "freed": True}
        else:
            cells[h.short] = {
                "addr": ptr, "cnt": s.cnt, "ids": list(s.valid), "region": s.region,
                "symbol": s.symbol, "freed": s.freed,
                "flags": {str(i): list(flag_names(s.flags_of(i))) for i in s.valid
                          if isinstance(s, IdSet8) and s.flags_of(i)}}
    from explorer.model.v6.constants import BTF_KFUNC_SET_MAX_CNT as MAX6

    return {"addr": tab.addr, "kernel": KERNEL6, "max_cnt": MAX6, "sets": cells,
            "filters": filters}


def kfuncs_report(sc: Scenario) -> dict[str, Any] | None:
    """``my_kernel`` on a modern snapshot: every kfunc, placed (and how) or unplaced (and why)."""
    pl = getattr(sc, "placements", ())
    if not pl:
        return None
    counts = {h: sum(1 for p in pl if p.how == h) for h in ("source", "guess", "unplaced")}
    return {
        "total": len(pl), "counts": counts, "modelled_snapshot": sc.kernel,
        "legend": {"source": "set, program type and flags read in kernel source (see 'why')",
                   "guess": "placed by a name rule: a GUESS; flags unknown",
                   "unplaced": "not placed: see 'why'"},
        "placed": [p.as_dict() for p in pl if p.how != "unplaced"],
        "unplaced": [p.as_dict() for p in pl if p.how == "unplaced"],
    }


def run_report(r: RunResult) -> dict[str, Any]:
    w = r.final.world
    kf = kfuncs_report(r.scenario)
    return {
        "scenario": r.scenario.name,
        "kernel": r.scenario.kernel,
        **({"kfuncs": kf} if kf is not None else {}),
        "variant": r.options.label(),
        "not_the_kernel": [VARIANTS[v].banner for v in r.options.variants],
        "schedule": format_schedule(r.schedule),
        "steps": [{"n": rec.index, "thread": rec.thread, "letter": rec.letter,
                   "function": rec.func, "label": rec.pc, "line": rec.line.strip(),
                   "events": [e.text for e in rec.events],
                   **({"result": rec.finished} if rec.finished else {})}
                  for rec in r.records],
        "results": r.outcome,
        "terminal": r.terminal,
        "tables": {name: table_report(w, name) for name in w.btfs},
    }


def explore_report(e: ExploreResult) -> dict[str, Any]:
    return {
        "scenario": e.scenario, "variant": e.options,
        "states": e.states, "transitions": e.transitions, "seconds": round(e.seconds, 4),
        "complete": e.complete,
        "count_meaning": COUNT_MEANING, "witness_rule": WITNESS_RULE,
        "outcomes": [{"results": o.results, "count": o.count, "witness": o.witness,
                      "shortest": o.shortest, "note": witness_note(o.witness, o.shortest)}
                     for o in e.outcomes],
        "invariant_violations": [{"invariant": v.invariant, "message": v.message,
                                  "count": v.count, "witness": v.witness,
                                  "shortest": v.shortest,
                                  "note": witness_note(v.witness, v.shortest)}
                                 for v in e.violations],
    }


def run_scenario(name: str, variants: list[str], faults: list[str], schedule: str,
                 kernel: str | None = None) -> RunResult:
    sc = modern.load(name, kernel)
    return run(sc, options_for(sc, variants, faults), schedule)


def explore_scenario(name: str, variants: list[str], faults: list[str],
                     kernel: str | None = None) -> ExploreResult:
    sc = modern.load(name, kernel)
    return explore(sc, options_for(sc, variants, faults))


def sort_report(ids: list[int]) -> dict[str, Any]:
    r = kernel_sort(ids)
    return {
        "input": ids, "sorted": list(r.sorted), "comparisons": r.comparisons, "swaps": r.swaps,
        "events": [{"op": e.kind, "phase": e.get("phase"), "step": e.get("at"),
                    "i": e.get("i"), "j": e.get("j"), "a": e.get("a"), "b": e.get("b"),
                    "heap_n": e.get("heap_n"), "narration": narrate(e)} for e in r.events],
    }


def bsearch_report(key: int, ids: list[int]) -> dict[str, Any]:
    r = kernel_bsearch(key, ids)
    return {"key": key, "ids": ids, "found": r.found, "probes": list(r.probes),
            "comparisons": len(r.probes), "sorted_input": ids == sorted(ids)}
