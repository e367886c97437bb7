"""At 80x24 the panel a lesson page is about shows the row it is about (QA session 3, F4: the
panel had 4-7 rows and the answer's row was below them), and the what-just-happened bar keeps its
height for one scene, not the whole session (F3)."""

from __future__ import annotations

import io

from rich.console import Console
from textual.pilot import Pilot

from explorer.tui.app import ExplorerApp
from explorer.tui.screens.main import MainScreen
from explorer.tui.widgets.array_panel import bsearch_text, sort_text
from explorer.tui.widgets.happened_bar import HappenedBar
from explorer.tui.widgets.panel import SnapshotPanel
from explorer.tui.widgets.table_panel import table_renderable
from explorer.views.controller import Controller
from tests.conftest import drive, press
from tests.test_tui import main_of

SIZE = (80, 24)


def shown_lines(m: MainScreen, name: str) -> list[str]:
    """The lines panel ``name`` shows on screen (its content rows inside the screen), checking
    it is the panel shown."""
    panel = m.panel(name)
    assert isinstance(panel, SnapshotPanel) and panel.display and m.active_panel == name
    region = panel.content_region
    assert region.height >= 1 and region.bottom <= SIZE[1] - 1, (name, region)
    return [panel.render_line(y).text.rstrip() for y in range(region.height)]


def plain_lines(renderable: object, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return [ln.rstrip() for ln in console.export_text().splitlines()]


def expected_reveal(m: MainScreen, width: int) -> list[str]:
    """The lines that prove the page's answer, as the reveal panel draws them: the asked
    cell's row in its table, its table's header and ``kfunc_set_tab`` line, or the returned
    result in the trace."""
    state = m.snap.lesson
    assert state is not None and state.page.predict is not None and state.verdict is not None
    pr, v = state.page.predict, state.verdict
    if pr.kind == "result":
        return [v.truth]  # somewhere in a trace line
    tv = next(t for t in m.snap.tables if t.btf == pr.btf)
    lines = plain_lines(table_renderable(tv, tv.freed_before, width), width)
    rows = [ln for ln in lines if ln.split(" ", 1)[0] == pr.hook]
    if pr.kind == "table" or tv.tab is None:  # a NULL table has no rows: it is the answer
        return lines[:2]
    assert len(rows) == 1, (pr.hook, lines)
    return rows


def _prediction_pages() -> list[tuple[str, int]]:
    return [(ls.slug, k) for ls in Controller("module_race").lessons()
            for k, p in enumerate(ls.pages) if p.predict is not None]


def test_every_reveal_shows_its_answer_at_80x24() -> None:
    """Answered, every prediction's reveal panel shows the row (cell questions), the table
    (table questions) or the result (result questions) the answer is about; on a lesson's last
    page also after Right (the end-of-lesson note takes rows from the panel)."""
    pages = _prediction_pages()
    assert len(pages) >= 20

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        for slug, k in pages:
            assert m.open_lesson(slug, k)
            await press(pilot, "1")
            state = m.snap.lesson
            assert state is not None and state.verdict is not None, (slug, k)
            name = state.reveal_panel
            last_page = k == state.count - 1
            for moment in ("answered", "right") if last_page else ("answered",):
                if moment == "right":
                    await press(pilot, "right")
                shown = shown_lines(m, name)
                width = m.panel(name).content_region.width
                for want in expected_reveal(m, width):
                    if state.page.predict.kind == "result":  # type: ignore[union-attr]
                        assert any(want in ln for ln in shown), (slug, k, moment, want, shown)
                    else:
                        assert want in shown, (slug, k, moment, want, shown)

    drive(body, size=SIZE)


def test_sort_and_bsearch_pages_show_the_array_at_80x24() -> None:
    """A page about a sort or a search shows the array's first line (lesson 2's sorted IDs,
    lesson 3's bsearch array), not only the panel's head lines."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        seen = 0
        for ls in m.controller.lessons():
            for k, page in enumerate(ls.pages):
                if page.focus not in ("sort", "bsearch"):
                    continue
                assert m.open_lesson(ls.slug, k)
                await pilot.pause()
                a = m.snap.array
                assert a is not None, (ls.slug, k)
                width = m.panel("array").content_region.width
                ids = sort_text(a) if a.kind == "sort" else bsearch_text(a)
                first = plain_lines(ids, width)[0]
                assert first in shown_lines(m, "array"), (ls.slug, k, first)
                seen += 1
        assert seen >= 5

    drive(body, size=SIZE)


def test_a_scrolled_panel_says_how_many_lines_are_above() -> None:
    """Lesson 4 page 2 at 80x24: the table panel starts at nf_conntrack's table (vmlinux's is
    above it) and its border says so."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert m.open_lesson("modules", 1)
        await press(pilot, "3")
        shown = shown_lines(m, "table")
        assert not any(ln.startswith("struct btf vmlinux") for ln in shown)
        assert any(ln.startswith("TC ") for ln in shown)
        await pilot.pause()
        assert str(m.panel("table").border_subtitle).startswith("↑ ")
        assert m.leave_lesson() is None and m.load_scenario("boot_tcp")
        await pilot.pause()
        assert not m.panel("table").border_subtitle  # the top again: nothing above

    drive(body, size=SIZE)


def test_the_bar_height_is_kept_for_one_scene_only() -> None:
    """A long step makes the bar taller; a new scene (here another lesson page, then a
    scenario) starts from two rows again (F3: it stayed four rows for the whole session)."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        bar = m.query_one(HappenedBar)
        assert m.open_lesson("ordering", 0)  # live_flag_ordering at step 62: three lines
        await pilot.pause()
        assert m.snap.step == 62 and bar.size.height >= 3
        assert m.open_lesson("challenges", 0)  # module_race at step 0
        await pilot.pause()
        assert m.snap.step == 0 and bar.size.height == 2
        assert m.open_lesson("ordering", 0)
        await pilot.pause()
        assert bar.size.height >= 3
        m.leave_lesson()  # the same scenario and step, a new scene: the height it needs
        await pilot.pause()
        assert m.lesson is None and bar.size.height == len(bar._strips(bar.size.width)) >= 3
        assert m.load_scenario("module_race")
        await pilot.pause()
        assert m.snap.step == 0 and bar.size.height == 2

    drive(body, size=SIZE)
