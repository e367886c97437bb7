"""Lesson helpers for the notebooks: narration from the shared lesson source, page diagrams,
and the ``my_kernel`` panel (which says plainly why it is absent)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import IPython.display
import ipywidgets as W

from explorer.notebook import render
from explorer.notebook.answers import is_open, listen, shared_lessons
from explorer.notebook.widgets import TABS, Explorer, PredictionWidget
from explorer.views import dot
from explorer.views import history as history_view
from explorer.views.controller import Controller, LessonView


def display(obj: object) -> None:
    """IPython's display(), typed."""
    IPython.display.display(obj)  # type: ignore[no-untyped-call]


def lessons() -> list[LessonView]:
    """Every lesson, in order (read once a kernel, again when a lesson file changes)."""
    return shared_lessons()


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


def _unanswered_before(ls: LessonView, index: int) -> list[int]:
    """The pages before ``index`` whose question is still open (answers are locked and kept,
    in the state directory the TUI keeps them in)."""
    return [j for j in range(index) if (pr := ls.pages[j].predict) is not None
            and is_open(ls.slug, j, pr.question)]


class AnswerGate(W.VBox):  # type: ignore[misc]
    """Outputs that would give a lesson's answers away (Run All shows every cell at once): closed
    until every prediction of ``ls`` before page ``index`` is answered, in any widget of the
    kernel or in an earlier session (or the reader opens it anyway, as a second → does in the
    TUI). ``fill`` displays the outputs when it opens."""

    def __init__(self, ls: LessonView, index: int, note: str, button: str,
                 fill: Callable[[], None]) -> None:
        self.ls, self.index = ls, index
        self.note = W.HTML(value=f"{render.STYLE}<div class='kx kx-note'>{note}</div>")
        self.button = W.Button(description=button, layout=W.Layout(width="max-content"),
                               tooltip="open without answering (it shows the answer)")
        self.body = W.Output()
        self.opened = False
        self._fill = fill
        self.button.on_click(lambda _b: self.open_page())
        super().__init__(children=[self.note, self.button])
        listen(self)

    def answered(self, slug: str, index: int) -> None:
        """A question was locked: open once none before :attr:`index` is open any more."""
        if slug == self.ls.slug and index < self.index and \
                not _unanswered_before(self.ls, self.index):
            self.open_page()

    def open_page(self) -> None:
        if self.opened:
            return
        self.opened = True
        with self.body:
            self._fill()
        self.children = [self.body]


class PageGate(AnswerGate):
    """A page after a prediction: its title and narration would give the answer away."""

    def __init__(self, ls: LessonView, index: int, *, diagrams: bool = True) -> None:
        super().__init__(ls, index, f"Page {index + 1} of {len(ls.pages)} comes after a "
                         "prediction above: Check your answer there to open this page.",
                         f"open page {index + 1} anyway",
                         lambda: _page_outputs(ls, index, diagrams))


def _page_outputs(ls: LessonView, index: int, diagrams: bool) -> None:
    display(render.MarkdownOut(page_markdown(ls, index)))
    if diagrams:
        for d in page_diagrams(ls, index):
            display(d)
    if ls.pages[index].predict is not None:
        display(PredictionWidget(ls, index))


def show_page(ls: LessonView, index: int, *, diagrams: bool = True) -> None:
    """Narration, diagrams and the prediction exercise of one page. A page after an unanswered
    prediction stays closed until it is checked (see :class:`PageGate`)."""
    display(render.HtmlOut(render.STYLE))
    if _unanswered_before(ls, index):
        display(PageGate(ls, index, diagrams=diagrams))
        return
    _page_outputs(ls, index, diagrams)


def show_lesson(ls: LessonView, *, diagrams: bool = True) -> None:
    """The lesson's title and summary, then every page in turn (as :func:`show_page`): one cell
    for the whole narration. Pages after an unanswered prediction stay closed, so Run All
    still gives no answer away."""
    show_intro(ls)
    for index in range(len(ls.pages)):
        show_page(ls, index, diagrams=diagrams)


def explore_widget(scenario: str, variants: tuple[str, ...] = (),
                   faults: tuple[str, ...] | None = None, *, diagrams: bool = True) -> Explorer:
    """A live explorer of ``scenario`` with every interleaving explored and its explore tab
    open: the outcomes, a button per witness, and the state graph, where a click on a state
    loads it. A witness that would solve a challenge not tried yet is withheld, as in the TUI."""
    ex = Explorer(scenario, variants=tuple(variants), faults=faults, diagrams=diagrams)
    ex.explore()
    ex.tabs.selected_index = TABS.index("explore")
    return ex


def show_explore(scenario: str, variants: tuple[str, ...] = (),
                 faults: tuple[str, ...] | None = None, *, diagrams: bool = True,
                 lesson: LessonView | None = None) -> None:
    """Display :func:`explore_widget`. With ``lesson``, its outcomes would answer that lesson's
    questions, so it stays closed (an :class:`AnswerGate`) while one of them is open."""
    def fill() -> None:
        display(explore_widget(scenario, variants, faults, diagrams=diagrams))

    if lesson is not None and _unanswered_before(lesson, len(lesson.pages)):
        display(AnswerGate(lesson, len(lesson.pages), "Every outcome of this scenario, at once, "
                           "would answer the questions of the lesson above: Check your answers "
                           "there to open the exploration.", "explore anyway", fill))
        return
    fill()


def my_kernel_panel(status: tuple[bool, str] | None = None, **kw: Any) -> W.Widget:
    """An explorer of ``my_kernel`` when this machine's BTF is readable; else a plain reason."""
    ok, why = Controller.my_kernel_status() if status is None else status
    if not ok:
        return W.HTML(value=render.STYLE + "<div class='kx'><b>The my_kernel scenario is not "
                      f"available here:</b> {render.esc(why)}<br>The built-in scenarios above "
                      "use illustrative IDs with the same shape.</div>")
    box = Explorer("my_kernel", **kw)
    return W.VBox([W.HTML(value=render.STYLE + f"<div class='kx'>{render.esc(why)}</div>"), box])


def side_by_side_html(spec: dict[str, tuple[str, str, str]] | None = None) -> str:
    """One scenario in several kernel versions, next to each other (lesson 10)."""
    cols = history_view.side_by_side(spec or history_view.YEARS_LATER)
    parts = []
    for c in cols:
        s = c.snapshot
        last = "".join(f"<li>{render.esc(t.summary)}</li>" for t in s.trace[-3:])
        parts.append(
            "<div class='kx-lane' style='flex:1'>"
            f"<div><b>{render.esc(c.label)}</b>: <code>{render.esc(c.scenario)}</code> on linux "
            f"{render.esc(s.kernel)}, schedule <code>{render.esc(c.schedule or '—')}</code> "
            f"(step {s.step})</div>"
            + "".join(render.table_html(t) for t in s.tables) + render.kfunc_lists_html(s)
            + f"<div>last steps:</div><ul style='font-size:11px'>{last}</ul></div>")
    return ("<div class='kx' style='display:flex; gap:8px; align-items:flex-start'>"
            + "".join(parts) + "</div>")


def show_side_by_side(spec: dict[str, tuple[str, str, str]] | None = None) -> None:
    """Display :func:`side_by_side_html` (default: tcp_cubic's registration in v5.16, v5.18
    and 6.17)."""
    display(W.HTML(render.STYLE + side_by_side_html(spec)))


def history_html() -> str:
    """The registry's shape at each snapshot, with the source each fact was read from."""
    head = ("<tr><th>kernel</th><th>hooks</th><th>limit</th><th>a cell holds</th>"
            "<th>set types / flags</th><th>filters</th><th>COMMON</th><th>lookup</th>"
            "<th>read in</th></tr>")
    rows = "".join(
        f"<tr><td><b>{render.esc(h.kernel)}</b>{'' if h.pinned else ' (release not pinned)'}"
        f"</td><td>{render.esc(h.hooks)}</td><td>{render.esc(h.limit)}</td>"
        f"<td>{render.esc(h.cell)}</td><td>{render.esc(h.kinds)}</td>"
        f"<td>{render.esc(h.filters)}</td><td>{render.esc(h.common)}</td>"
        f"<td><code>{render.esc(h.lookup)}</code></td><td>{render.esc(h.source)}</td></tr>"
        for h in history_view.history())
    return f"<div class='kx'><table class='kx-trace'>{head}{rows}</table></div>"


def show_history() -> None:
    display(W.HTML(render.STYLE + history_html()))
