"""The notebook explorer steps exactly: no overshoot when the range shrinks, Play in the kernel.

The browser half (a real slider, a real Play at 30 ms/step) is in test_browser_jupyterlab.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

pytest.importorskip("ipywidgets")

from explorer.notebook import Explorer, LessonWidget, lesson
from explorer.notebook.widgets import PLAY_MIN_MS


def _slider_values(ex: Explorer) -> list[int]:
    """Every value the step slider takes from now on (what the browser is sent)."""
    seen: list[int] = []
    ex.slider.observe(lambda c: seen.append(int(c["new"])), names="value")
    return seen


def test_pasting_a_shorter_schedule_lands_exactly() -> None:
    """Paste L4V7 after a longer run: the slider goes straight to 11 and stays (was L4V7L)."""
    ex = Explorer("module_race", diagrams=False)
    ex.set_schedule("L63V40")
    assert ex.snap.step == 103
    seen = _slider_values(ex)
    ex.schedule_text.value = "L4V7"
    assert ex.snap.schedule == "L4V7" and ex.snap.step == 11
    assert seen == [11]  # never clamped through another value on the way
    assert ex.slider.value == 11 and ex.slider.max == 12
    ex.slider.value = 11  # the browser confirms the value it was sent: nothing moves
    assert ex.snap.full_schedule == "L4V7"


def test_lesson_prev_lands_on_the_page_position() -> None:
    ls = lesson("sort")
    lw = LessonWidget(ls, diagrams=False)
    assert lw.explorer is not None
    lw.show(2)
    seen = _slider_values(lw.explorer)
    lw.prev.click()
    want = lw.explorer.snap.step
    assert lw.index == 1 and lw.explorer.snap.schedule == ls.pages[1].schedule
    assert seen == [want] and lw.explorer.slider.value == want


class FakeLoop:
    """Stands in for the kernel's event loop: records what Play schedules, runs it on demand."""

    def __init__(self) -> None:
        self.pending: list[tuple[float, Callable[[], object]]] = []
        self.cancelled = 0

    def call_later(self, delay: float, fn: Callable[[], object]) -> Callable[[], None]:
        entry = (delay, fn)
        self.pending.append(entry)

        def cancel() -> None:
            if entry in self.pending:
                self.pending.remove(entry)
                self.cancelled += 1

        return cancel

    def run_one(self) -> None:
        _delay, fn = self.pending.pop(0)
        fn()


def test_play_at_30ms_runs_to_the_exact_end_and_pause_keeps_the_step() -> None:
    ex = Explorer("module_race", diagrams=False)
    loop = FakeLoop()
    ex._call_later = loop.call_later
    ex.speed.value = 30
    ex.play.value = True
    assert ex.play.description.startswith("⏸") and loop.pending[0][0] == pytest.approx(0.030)
    for _ in range(5):
        loop.run_one()
    assert ex.snap.step == 5 and ex.slider.value == 5
    ex.play.value = False  # pause (the ■ of a media player): the position stays
    assert ex.snap.step == 5 and not loop.pending and loop.cancelled == 1
    ex.play.value = True
    ticks = 0
    while loop.pending:
        loop.run_one()
        ticks += 1
    end = ex.snap
    assert end.terminal and end.step == end.length == 5 + ticks
    assert not ex.play.value and ex.play.description.startswith("▶")  # stopped by itself
    assert ex.slider.value == end.step and ex.slider.max == end.length
    ex.play.value = True  # at the end, Play starts over from step 0
    assert ex.snap.step == 0 and loop.pending
    ex.play.value = False


def test_play_never_faster_than_the_minimum() -> None:
    ex = Explorer("boot_tcp", diagrams=False)
    loop = FakeLoop()
    ex._call_later = loop.call_later
    ex.speed.value = 1  # clamped by the slider to its minimum
    ex.play.value = True
    assert loop.pending[0][0] == pytest.approx(PLAY_MIN_MS / 1000)
    ex.play.value = False


def test_play_without_an_event_loop_steps_by_tick() -> None:
    """Outside a kernel (no running loop) Play schedules nothing; play_tick still steps."""
    ex = Explorer("boot_tcp", diagrams=False)
    ex.play.value = True
    assert ex.snap.step == 0
    assert ex.play_tick() and ex.snap.step == 1
    ex.play.value = False
    assert not ex.play_tick() and ex.snap.step == 1
