"""Pilot tests of issue 10's explore, presenter and paste/what-if defects (one test a defect)."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from explorer.tui.app import ExplorerApp
from explorer.tui.screens.explore import ExploreScreen
from explorer.views.controller import COUNT_MEANING, WITNESS_RULE
from tests.test_tui import drive, main_of


async def _explore(app: ExplorerApp, pilot: Pilot[int]) -> ExploreScreen:
    await pilot.press("x")
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ExploreScreen) and screen.result is not None
    return screen


def test_explore_says_what_the_count_means_and_which_rule_picks_the_witness() -> None:
    """QA: "×1" was unexplained, and the rule behind the witness unstated."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        screen = await _explore(app, pilot)
        legend = str(screen.query_one("#explore-legend", Static).render())
        assert f"×N = {COUNT_MEANING}" in legend and f"witness = {WITNESS_RULE}" in legend
        detail = str(screen.query_one("#explore-detail", Static).render())
        assert "witness L" in detail and "steps," in detail and "switch" in detail

    drive(body, scenario="two_verifiers")


def test_explore_rows_do_not_wrap_at_80_columns() -> None:
    """QA: each outcome took two or three lines at 80x24 (the witness wrapped under it)."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        screen = await _explore(app, pilot)
        ol = screen.query_one("#outcomes", OptionList)
        assert ol.option_count == 4
        assert ol.virtual_size.height == ol.option_count
        for w in ("#explore-progress", "#explore-legend"):
            assert screen.query_one(w).size.height == screen.query_one(w, Static).render(
                ).plain.count("\n") + 1  # type: ignore[attr-defined]

    drive(body, scenario="two_verifiers")


def test_a_witness_has_the_fewest_switches_and_loads_at_step_0_ready_to_play() -> None:
    """QA: the witness was L63V6L2V3-like and loaded at its end; now L4V7-like, at step 0,
    and autoplay plays exactly it."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        for name in ("write_once", "lucky_ok", "half_filled"):  # else witnesses stay hidden
            app.controller.progress.give_up(name)
        m.load_scenario("module_race")
        m.set_options(["no_live_check"], [])
        screen = await _explore(app, pilot)
        ol = screen.query_one("#outcomes", OptionList)
        k = next(i for i in range(ol.option_count)
                 if "table_write_once" in str(ol.get_option_at_index(i).prompt))
        ol.highlighted = k
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is m
        assert m.snap.step == 0 and m.snap.full_schedule == "L4V7"
        await pilot.press("plus", "plus", "plus", "plus", "a")
        for _ in range(100):
            await pilot.pause(0.05)
            if not m.autoplay:
                break
        assert m.snap.schedule.startswith("L4V7") and m.controller.first_violation() is not None
        assert m.controller.first_violation()[0] == 11  # type: ignore[index]

    drive(body)
