"""Lesson helpers for the notebooks: narration from the shared lesson source, page diagrams,
and the ``my_kernel`` panel (which says plainly why it is absent)."""

from __future__ import annotations

from typing import Any

import IPython.display
import ipywidgets as W

from explorer.notebook import render
from explorer.notebook.widgets import Explorer, PredictionWidget
from explorer.views import dot
from explorer.views.controller import Controller, LessonView


def display(obj: object) -> None:
    """IPython's display(), typed."""
    IPython.display.display(obj)  # type: ignore[no-untyped-call]


def lessons() -> list[LessonView]:
    return Controller().lessons()


def lesson(key: str | int) -> LessonView:
    """A lesson by slug (``"sort"``), by order (``2``) or by file prefix (``"02"``)."""
    all_ = lessons()
    for i, ls in enumerate(all_, start=1):
        if key in (ls.slug, i, f"{i:02d}", str(i)):
            return ls
    raise ValueError(f"no lesson {key!r} (lessons: {', '.join(ls.slug for ls in all_)})")


def intro_markdown(ls: LessonView) -> str:
    return f"# {ls.title}\n\n{ls.summary}"


def page_markdown(ls: LessonView, index: int) -> str:
    p = ls.pages[index]
    what = f"`{p.scenario}`" + (f", what-if {', '.join(p.variants)} (**NOT THE KERNEL**)"
                                if p.variants else "") + (
        f", faults {', '.join(p.faults)}" if p.faults else "") + (
        f", schedule `{p.schedule}`" if p.schedule else ", at the start")
    return f"## {index + 1}. {p.title}\n\n*Scenario {what}.*\n\n{p.text}"


def page_diagrams(ls: LessonView, index: int) -> list[render.Diagram]:
    """The diagrams that fit the page's focus, at the page's position."""
    p = ls.pages[index]
    ctl = Controller(p.scenario)
    ctl.open_page(p)
    snap = ctl.snapshot()
    out = []
    if p.focus == "sort" and snap.array is not None and snap.array.kind == "sort":
        out.append(render.Diagram(dot.heap_tree(snap.array),
                                  "the heap lib/sort.c sees (children of i: 2i+1, 2i+2)"))
    if p.focus in ("table", "lanes", "trace", "outcomes") or not out:
        out.append(render.Diagram(dot.pointer_graph(snap),
                                  "struct btf → kfunc_set_tab → cells → ID arrays"))
    if snap.modules and p.focus in ("lanes", "trace", "outcomes"):
        out.append(render.Diagram(dot.module_state_machine(snap),
                                  "the module's states and the race window"))
    return out


def show_intro(ls: LessonView) -> None:
    display(render.MarkdownOut(intro_markdown(ls)))


def show_page(ls: LessonView, index: int, *, diagrams: bool = True) -> None:
    """Narration, diagrams and the prediction exercise of one page."""
    display(render.HtmlOut(render.STYLE))
    display(render.MarkdownOut(page_markdown(ls, index)))
    if diagrams:
        for d in page_diagrams(ls, index):
            display(d)
    if ls.pages[index].predict is not None:
        display(PredictionWidget(ls, index))


def show_explore(scenario: str, variants: tuple[str, ...] = (),
                 faults: tuple[str, ...] | None = None) -> None:
    """Explore every interleaving and show the outcome table and the state graph."""
    ctl = Controller(scenario)
    ctl.load(scenario, variants, faults)
    ev = ctl.explore(keep_graph=True)
    display(render.HtmlOut(render.STYLE + render.explore_html(ev)))
    display(render.Diagram(dot.state_graph(ev), "explored state graph, outcomes coloured"))


def my_kernel_panel(status: tuple[bool, str] | None = None, **kw: Any) -> W.Widget:
    """An explorer of ``my_kernel`` when this machine's BTF is readable; else a plain reason."""
    ok, why = Controller.my_kernel_status() if status is None else status
    if not ok:
        return W.HTML(value=render.STYLE + "<div class='kx'><b>The my_kernel scenario is not "
                      f"available here:</b> {render.esc(why)}<br>The built-in scenarios above "
                      "use illustrative IDs with the same shape.</div>")
    box = Explorer("my_kernel", **kw)
    return W.VBox([W.HTML(value=render.STYLE + f"<div class='kx'>{render.esc(why)}</div>"), box])
