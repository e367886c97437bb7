"""Pilot tests of issue 10's explore, presenter and paste/what-if defects (one test a defect)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from explorer.tui.app import ExplorerApp
from explorer.tui.screens.confirm import ConfirmScreen
from explorer.tui.screens.explore import ExploreScreen
from explorer.tui.screens.prompt import PromptScreen
from explorer.tui.screens.whatif import WhatIfScreen
from explorer.tui.widgets.panel import SnapshotPanel
from explorer.tui.widgets.race_strip import RaceStrip
from explorer.tui.widgets.status_bar import status_text
from explorer.views import intents as i
from explorer.views.controller import COUNT_MEANING, WITNESS_RULE, Controller
from explorer.views.snapshot import Snapshot
from tests.conftest import press
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


def test_a_witness_has_the_fewest_switches_and_plays_from_home() -> None:
    """QA: the witness was L63V6L2V3-like; now L4V7-like. It loads to its end, where the
    violation shows (as in the notebook: one rule, views/intents.LoadSchedule); Home, then
    autoplay plays exactly it."""

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
        await press(pilot, "enter")
        assert app.screen is m
        assert m.snap.step == 11 and m.snap.full_schedule == "L4V7" and m.snap.violations
        assert any("where table_write_once breaks" in n.message for n in app._notifications)
        await press(pilot, "home")
        assert m.snap.step == 0 and m.snap.full_schedule == "L4V7"
        await pilot.press("plus", "plus", "plus", "plus", "a")
        for _ in range(100):
            await pilot.pause(0.05)
            if not m.autoplay:
                break
        assert not m.autoplay and m.snap.schedule == "L4V7" and m.snap.step == 11
        assert m.controller.first_violation() == (11, "table_write_once",
                                                  m.snap.violations[0][1])
        assert any("end of the loaded schedule L4V7" in n.message for n in app._notifications)
        await pilot.press("a")  # again: on in thread order, to the end
        for _ in range(200):
            await pilot.pause(0.05)
            if not m.autoplay:
                break
        assert m.snap.terminal and m.snap.schedule.startswith("L4V7L")

    drive(body)


def test_whatif_offers_only_what_applies_and_shows_on_off_as_boxes() -> None:
    """QA: no_sort and krealloc_fails were offered on module_race (they change nothing there),
    and on/off was a colour-only toggle."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        await press(pilot, "w")
        screen = app.screen
        assert isinstance(screen, WhatIfScreen)
        ol = screen.query_one("#whatif", OptionList)
        prompts = [str(ol.get_option_at_index(k).prompt) for k in range(ol.option_count)]
        names = [p.split(": ", 1)[0].split()[-1] for p in prompts]
        assert names == ["no_live_check", "live_flag_unlocked", "kzalloc_fails", "init_fails"]
        assert all(p.startswith("☐ ") for p in prompts)
        left_out = str(screen.query_one("#whatif-left-out", Static).render())
        assert "no_sort" in left_out and "krealloc_fails" in left_out
        await pilot.press("down", "space")  # live_flag_unlocked on
        assert str(ol.get_option_at_index(1).prompt).startswith("☑ [NOT THE KERNEL] "
                                                                 "live_flag_unlocked")
        await pilot.press("down", "enter")  # kzalloc_fails on
        assert str(ol.get_option_at_index(2).prompt).startswith("☑ [fault] kzalloc_fails")
        await pilot.press("space")  # and off again
        assert str(ol.get_option_at_index(2).prompt).startswith("☐ ")
        await press(pilot, "escape")
        assert app.screen is m and m.snap.options == "live_flag_unlocked"

    drive(body)


def test_switching_scenario_keeps_what_applies_and_names_what_was_dropped() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert m.set_options(["no_live_check", "live_flag_unlocked"], ["init_fails"])
        assert m.load_scenario("two_verifiers")
        await pilot.pause()
        assert m.snap.options == "no_live_check+init_fails"
        n = app._notifications
        assert any("dropped live_flag_unlocked: not applicable to two_verifiers" in x.message
                   for x in n)
        assert m.load_scenario("module_no_btf")
        await pilot.pause()
        assert m.snap.options == "kernel"
        assert any("dropped no_live_check, init_fails: not applicable to module_no_btf"
                   in x.message for x in app._notifications)

    drive(body)


def test_copy_goes_out_as_osc_52_and_prefills_the_paste_box() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        written: list[str] = []
        driver = app._driver
        assert driver is not None
        real = driver.write
        driver.write = lambda data: (written.append(data), real(data))[1]  # type: ignore[method-assign]
        assert m.load_schedule("l4v7")  # lower case is fine
        await press(pilot, "y")
        osc = base64.b64encode(b"L4V7").decode()
        assert f"\x1b]52;c;{osc}\a" in written
        await press(pilot, "home", "p")
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value == "L4V7"
        await press(pilot, "enter")
        assert m.snap.schedule == "L4V7"

    drive(body)


def _status_cases() -> list[tuple[str, Snapshot]]:
    out = []
    for name, variants, faults, sched in (
            ("module_race", ["no_live_check", "live_flag_unlocked"], ["init_fails"], "L61V6L2V4"),
            ("two_verifiers", ["no_live_check"], ["init_fails"], "L3V5K5L20V3K1"),
            ("live_flag_ordering", ["live_flag_unlocked"], [], "L63V11M6V18M3"),
            ("enomem", [], None, ""), ("hooks_filters", [], [], "")):
        c = Controller(name)
        c.load(name, variants, faults)
        if sched:
            c.load_schedule(sched)
        c.run_to_end()
        c.jump(c.session.length // 2)  # a recorded future, shown as (→…) where it fits
        out.append((name, c.snapshot()))
    return out


@pytest.mark.parametrize("width", [80, 200])
def test_the_status_bar_fits_its_width_and_keeps_what_matters(width: int) -> None:
    """QA: at 80 columns the status line ran off the edge, cutting the what-ifs and autoplay."""
    for name, snap in _status_cases():
        t = status_text(snap, "▶ autoplay 16/s", width)
        assert t.cell_len <= width, (name, t.plain)
        head = t.plain.split()[0]
        assert name.startswith(head.rstrip("…")) and f"step {snap.step}/{snap.length}" in t.plain
        assert "▶ autoplay 16/s" in t.plain, t.plain
        if snap.options != "kernel":
            assert "what-if" in t.plain or snap.options in t.plain, t.plain
        assert snap.kernel in t.plain, t.plain  # the snapshot, and its what-if label, always
        if width >= 200:
            assert snap.schedule in t.plain and f"linux {snap.kernel}" in t.plain


@pytest.mark.parametrize("at_end", [False, True])
def test_a_long_kernel_note_gives_way_before_the_name_and_step(tmp_path: Path,
                                                               at_end: bool) -> None:
    """QA4 F17: at 80 columns my_kernel's long kernel label ("v5.18 (its registry, fed your
    running kernel's BTF IDs)") cut the scenario's name and the schedule; now it says itself in
    brief and the name and step stay whole."""
    from explorer.sim.kernel_scenario import kernel_scenario
    from explorer.sim.session import Session
    from explorer.views.snapshot import snapshot
    from tests.test_kernel_scenario import _write

    names = ["bbr_init", "bbr_main", "cubictcp_init", "tcp_reno_ssthresh", "tcp_slow_start"]
    sess = Session(kernel_scenario(_write(tmp_path, names)))
    if at_end:
        sess.run_to_end()
    snap = snapshot(sess)
    assert snap.kernel == "v5.18 (its registry, fed your running kernel's BTF IDs)"
    assert snap.kernel_short == "v5.18 (your BTF IDs)"
    t = status_text(snap, "", 80)
    assert t.cell_len <= 80
    assert t.plain.startswith(f" my_kernel  step {snap.step}/{snap.length} "), t.plain
    assert "v5.18 (your BTF IDs)" in t.plain, t.plain
    assert status_text(snap, "", 200).plain.endswith(f"linux {snap.kernel}")


def test_q_asks_before_quitting() -> None:
    """QA: a stray q ended a live demo at once."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert m.load_schedule("L4V2")
        await press(pilot, "q")
        assert isinstance(app.screen, ConfirmScreen)
        detail = str(app.screen.query_one("#confirm-detail", Static).render())
        assert "schedule L4V2" in detail
        await pilot.press("q")  # a second q does not stack another question
        assert len(app.screen_stack) == 2
        await press(pilot, "n")
        assert app.screen is m and app.is_running and m.snap.schedule == "L4V2"
        await press(pilot, "q", "escape")
        assert app.screen is m and app.is_running
        exits: list[object] = []
        app.exit = lambda *a, **k: exits.append(a)  # type: ignore[method-assign]
        await press(pilot, "q", "y")
        assert exits == [()]

    drive(body)


def test_presenter_mode_is_larger_and_shows_the_race_strip_without_colour() -> None:
    """QA: presenter mode only changed colours; the race window was a thin coloured bar in a
    panel that is not even shown at 80x24."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert not any(s.display for s in m.query(RaceStrip))  # not outside presenter mode
        assert m.has_class("-wide")  # 160x48: every panel at once
        await press(pilot, "f5")
        strip = m.query_one(RaceStrip)  # made when first shown
        assert app.presenter and strip.display
        assert m.has_class("-narrow") and not m.has_class("-wide")  # fewer, larger panels
        shown = [p.id for p in m.query(SnapshotPanel) if p.display and p.id != "race-strip"]
        assert shown == ["lanes"]
        assert m.load_schedule("L4V7")
        await pilot.pause()
        lines = [strip.render_line(y).text for y in range(strip.size.height)]
        text = "\n".join(lines)
        # words and glyphs, not only colour: readable with NO_COLOR
        assert "RACE WINDOW OPEN: nf_conntrack's BTF is visible" in text
        assert "▒" in text and "·" in text
        assert any("RACE WINDOW" in ln and "OPEN" not in ln for ln in lines)  # a phase's name
        assert "▲ step 11" in text
        assert m.has_class("-roomy")
        await press(pilot, "f5")
        assert not strip.display and m.has_class("-wide")

    drive(body, size=(160, 48))


def test_presenter_autoplay_shows_the_loaded_race() -> None:
    """QA: autoplay in presenter mode ran in thread order (loader first), never the race."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert m.run(i.LoadSchedule("L4V7L59V3")) and m.run(i.Jump(0))
        assert m.snap.step == 0
        await pilot.press(*["plus"] * 5, "a")
        for _ in range(200):
            await pilot.pause(0.05)
            if not m.autoplay:
                break
        assert m.snap.schedule == "L4V7L59V3" and m.snap.terminal
        assert dict(m.snap.outcome)["verifier"] == "ENXIO"

    drive(body, presenter=True)
