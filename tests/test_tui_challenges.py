"""TUI: challenges (play, win, loss, hint, give up, hidden witnesses, progress) and the sort lab."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from explorer.tui.app import ExplorerApp
from explorer.tui.screens.challenges import ChallengesScreen
from explorer.tui.screens.sortlab import SortLabScreen
from explorer.tui.widgets.error_bar import ErrorBar
from explorer.tui.widgets.goal_bar import GoalBar
from tests import conftest
from tests.conftest import explore_outcomes, option_texts, press

drive = partial(conftest.drive, size=(100, 30))  # these screens want room


def test_play_a_challenge_lose_step_back_win(_private_state_dir: Path) -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = app.main_screen
        bar = m.query_one(GoalBar)
        assert bar.state is None and not bar.display
        await press(pilot, "c")
        assert isinstance(app.screen, ChallengesScreen)
        await press(pilot, "enter")  # the first not yet won: early_verifier
        assert app.screen is m and bar.state is not None
        assert bar.state.challenge.name == "early_verifier"
        assert bar.display and bar.state.status == "open"
        await press(pilot, "r")  # the threads in order: a loss
        assert bar.state.status == "lost" and "verifier ended OK, not ENXIO" in bar.state.why
        await press(pilot, "home", "l", "l", "l", *"v" * 10)
        assert bar.state.status == "won" and bar.state.tries == 2 and bar.state.steps == 13
        await press(pilot, "h")
        assert any("hint" in (n.title or "") for n in app._notifications)

    drive(body)
    saved = json.loads((_private_state_dir / "kfunc-explorer" / "progress.json").read_text())
    assert saved["challenges"]["early_verifier"] == {
        "tries": 2, "won": True, "gave_up": False, "steps": 103 + 13, "best_steps": 13,
        "best_schedule": "L3V10"}


def test_give_up_loads_a_shortest_win_and_unhides_witnesses() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = app.main_screen
        await press(pilot, "x")
        _screen, ol = await explore_outcomes(app, pilot)
        prompts = option_texts(ol)
        enxio = next(k for k, p in enumerate(prompts) if "ENXIO" in p)
        assert "hidden: it solves challenge 'early_verifier'" in prompts[enxio]
        assert ol.get_option_at_index(enxio).disabled
        await press(pilot, "escape", "c")
        assert isinstance(app.screen, ChallengesScreen)
        await press(pilot, "u")
        assert app.screen is m and m.snap.step == 0 and m.snap.full_schedule == "L3V10"
        assert m.query_one(GoalBar).state is None
        await press(pilot, "x")
        _screen, ol = await explore_outcomes(app, pilot)
        prompts = option_texts(ol)
        assert not any("hidden" in p for p in prompts)

    drive(body)


def test_sort_input_bad_input_is_one_line_and_lab_steps_and_registers() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = app.main_screen
        await press(pilot, "right_square_bracket", "right_square_bracket")
        assert m.active_panel == "array"
        inp = m.query_one("#array-input", Input)
        assert inp.display
        inp.focus()
        inp.value = "5 x 9"
        await press(pilot, "enter")
        err = m.query_one(ErrorBar).message
        assert err == "array: value 2 'x' is not a whole number"
        assert inp.value == "5 x 9" and app.screen is m
        inp.value = "10 20 30 40 15 25 35 ; key 15"
        await press(pilot, "enter")
        lab = app.screen
        assert isinstance(lab, SortLabScreen) and lab.lab.key == 15
        assert lab.query_one("#lab-ids", Input).value == "10 20 30 40 15 25 35"
        await press(pilot, "right", "right", "right")  # the lab opens on the steps
        assert lab.lab.cursor == 3
        await press(pilot, "end")
        assert lab.lab.frame().found is True
        lab.query_one("#lab-ids", Input).value = ""
        await press(pilot, "ctrl+r")
        assert app.screen is lab and "array: empty" in lab.error
        assert lab.lab.ids == (10, 20, 30, 40, 15, 25, 35)  # the lab kept what it had
        lab.query_one("#lab-ids", Input).value = "106124 7 99"
        await press(pilot, "ctrl+r")
        assert app.screen is m and m.snap.scenario == "my_cell"
        await press(pilot, "r")  # the key 15 is not among them: bsearch misses, "not allowed"
        assert dict(m.snap.outcome) == {"boot": "OK", "verifier": "EACCES"}

    drive(body)


def test_corrupt_progress_is_reported_at_start_and_set_aside(_private_state_dir: Path) -> None:
    d = _private_state_dir / "kfunc-explorer"
    d.mkdir(parents=True)
    (d / "progress.json").write_text("{oops")

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        msg = app.main_screen.query_one(ErrorBar).message
        assert "progress.json" in msg and "moved aside" in msg and "\n" not in msg

    drive(body)
    assert [p.name for p in d.iterdir() if "corrupt" in p.name]


def test_sort_lab_sorts_a_long_input_in_a_worker() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        await press(pilot, "i")
        lab = app.screen
        assert isinstance(lab, SortLabScreen) and lab.lab.ids == (5, 3, 9, 1, 7)
        await press(pilot, "tab")  # from the steps to the IDs
        assert isinstance(lab.focused, Input) and lab.focused.id == "lab-ids"
        lab.query_one("#lab-ids", Input).value = " ".join(str(k) for k in range(300, 0, -1))
        await press(pilot, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(lab.lab.ids) == 300 and lab.lab.sorted == tuple(range(1, 301))
        assert "step 0/" in str(lab.query_one("#lab-status").render())

    drive(body)


def test_sort_lab_opens_on_the_steps_with_the_models_first_state() -> None:
    """QA4 F4: the lab opened with focus in the IDs, so the hint's ``n`` typed into them; and
    step 0 read ``a=-1`` while lib/sort.c (and the model) start with a = num / 2."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        await press(pilot, "i")
        lab = app.screen
        assert isinstance(lab, SortLabScreen)
        frame = lab.lab.frame()
        assert (frame.heap_a, frame.heap_n) == (2, 5)  # n = num, a = num / 2
        view = lab.query_one("#lab-view")
        assert "a=2 " in str(view.render().renderables[0])  # type: ignore[attr-defined]
        await press(pilot, "n", "right")
        assert lab.lab.cursor == 2
        assert lab.query_one("#lab-ids", Input).value == "5 3 9 1 7"
        await press(pilot, "tab")  # the inputs are a Tab away
        assert isinstance(lab.focused, Input) and lab.focused.id == "lab-ids"

    conftest.drive(body, size=(80, 24))


def test_challenges_keys_at_80x24_and_u_outside_and_inside_a_challenge() -> None:
    """QA: at 80x24 the list hid its key line (``u: give up`` undiscoverable); ``u`` after
    closing the list said "no thread U here"; help did not list ``u``."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = app.main_screen
        await press(pilot, "u")  # no challenge: a reason, not "no thread U"
        err = m.query_one(ErrorBar)
        assert "u: gives up a challenge; none is running" in err.message, err.message
        assert "no thread" not in err.message
        assert any("give up" in desc for _g, _k, desc in m.help_rows())
        await press(pilot, "c")
        screen = app.screen
        assert isinstance(screen, ChallengesScreen)
        keys = screen.query_one("#challenges-keys")
        box = screen.query_one("#challenges-box")
        assert keys.region.height == 1 and box.region.contains_region(keys.region)
        assert keys.region.bottom <= app.size.height
        ol = screen.query_one("#challenge-list")
        assert not ol.region.overlaps(keys.region)
        await press(pilot, "enter")  # play the first open one
        assert app.screen is m and m.controller.play is not None
        await press(pilot, "u")  # give it up from the explorer
        assert m.controller.play is None and m.snap.step == 0 and m.snap.full_schedule
        assert any("gave up" in (n.title or "") for n in app._notifications)

    conftest.drive(body, size=(80, 24))
