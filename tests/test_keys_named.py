"""Text that names a key names the user's key: a learner who rebinds keys (the keymap file)
reads their own keys in lesson notes, verdicts, hints and prompts, never the defaults. Every such
text takes its keys from one source, :class:`explorer.views.actions.Keys`."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from explorer.tui.app import ExplorerApp
from explorer.tui.keymap import keymap_path
from explorer.tui.screens.versions import VersionsScreen
from explorer.tui.widgets.error_bar import ErrorBar
from explorer.tui.widgets.happened_bar import happened_renderable
from explorer.tui.widgets.lesson_panel import LessonPanel
from explorer.tui.widgets.panel import Rows
from explorer.tui.widgets.trace_panel import TracePanel
from explorer.views import intents as it
from explorer.views.actions import DEFAULT_KEYS, Keys
from explorer.views.controller import Controller
from tests.conftest import drive, press

REBOUND = {"next": "ctrl+n", "prev": "ctrl+b", "dismiss": "ctrl+e", "pick_lesson": "ctrl+o",
           "help": "f2", "jump_start": "ctrl+a", "back": "ctrl+z", "answer_1": "f6",
           "answer_2": "f7", "answer_3": "f8", "answer_4": "f10", "autoplay": "ctrl+y",
           "challenges": "ctrl+g", "hint": "f3", "copy_schedule": "ctrl+c",
           "pick_kernel": "f4"}
"""A keymap that moves every key a lesson, hint or prompt names."""

DEFAULTS = ("→", "Esc", " t ", "? ", "Home", ", steps", "1–")
"""How the default keys read in those texts."""


def test_keys_name_the_default_keys_and_a_keymap_s() -> None:
    assert (DEFAULT_KEYS.one("next"), DEFAULT_KEYS.all("prev")) == ("→", "← / PgUp")
    assert (DEFAULT_KEYS.one("back"), DEFAULT_KEYS.answers(3)) == (",", "1–3")
    k = Keys.of_keymap(REBOUND)
    assert (k.one("next"), k.one("dismiss"), k.one("help")) == ("Ctrl+N", "Ctrl+E", "F2")
    assert k.answers(3) == "F6/F7/F8"
    assert Keys.of_keymap({"next": "l,full_stop"}).all("next") == "l / ."


def _lesson(ctl: Controller, slug: str, page: int = 0) -> str:
    ctl.apply(it.OpenLesson(slug, page))
    st = ctl.snapshot().lesson
    assert st is not None
    return st.slug


def test_every_lesson_note_names_the_user_s_keys(tmp_path: Path) -> None:
    from explorer.views.lesson_answers import AnswerStore

    ctl = Controller(answers=AnswerStore(tmp_path / "answers.json"))
    ctl.keys = Keys.of_keymap(REBOUND)
    lessons = ctl.lessons()
    notes: list[str] = []

    def note() -> str:
        st = ctl.snapshot().lesson
        assert st is not None and st.note
        notes.append(st.note)
        return st.note

    first = lessons[0]
    _lesson(ctl, first.slug)
    ctl.apply(it.Command.PREV)
    assert note() == "first page of this lesson: Ctrl+E frees the explorer; Ctrl+O lists lessons"
    ask = next(k for k, p in enumerate(first.pages) if p.predict is not None)
    none = next(k for k, p in enumerate(first.pages) if p.predict is None)
    _lesson(ctl, first.slug, ask)
    ctl.apply(it.Command.NEXT)
    n = len(first.pages[ask].predict.choices)  # type: ignore[union-attr]
    assert note().startswith(f"predict first: press {Keys.of_keymap(REBOUND).answers(n)} ")
    assert "Ctrl+N again goes on" in notes[-1]
    ctl.apply(it.Answer(n + 1))
    assert "(keys F6/" in note()
    ctl.apply(it.Answer(0))
    v = ctl.snapshot().lesson.verdict  # type: ignore[union-attr]
    assert v is not None and "Ctrl+A or Ctrl+Z steps back" in v.said(ctl.keys)
    assert "Home or , steps back" in v.said()
    ctl.apply(it.Answer(0))
    assert note().startswith("your answer is locked")
    _lesson(ctl, first.slug, none)
    ctl.apply(it.Answer(0))
    assert note() == "this page asks nothing: Ctrl+N turns the page"
    _lesson(ctl, first.slug, len(first.pages) - 1)
    for _ in range(3):  # past an open question, then the end of the lesson
        ctl.apply(it.Command.NEXT)
        if ctl.lesson_stop == "end":
            break
    assert note().startswith("end of this lesson: Ctrl+N opens lesson 2")
    assert notes[-1].endswith("Ctrl+E frees the explorer")
    _lesson(ctl, lessons[-1].slug, len(lessons[-1].pages) - 1)
    for _ in range(3):
        ctl.apply(it.Command.NEXT)
        if ctl.lesson_stop == "last":
            break
    assert note() == ("that was the last lesson: Ctrl+O lists them all; Ctrl+E frees the "
                      "explorer")
    for text in notes:  # no default key is named
        assert not any(d in text for d in DEFAULTS), text


@pytest.fixture()
def rebound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    keymap_path().parent.mkdir(parents=True)
    keymap_path().write_text("".join(f'{k} = "{v}"\n' for k, v in REBOUND.items()))


@pytest.mark.usefixtures("rebound")
def test_the_tui_names_the_keys_the_user_bound() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = app.main_screen
        bar = m.query_one(ErrorBar)
        assert not bar.message  # the keymap is good: no warning
        panel = m.query_one(LessonPanel)
        assert panel.border_subtitle is not None
        assert panel.border_subtitle.endswith("page 1/3  Ctrl+B  Ctrl+N")
        assert m.controller.lesson is not None and m.controller.lesson.pages[0].predict
        labels = [str(b.label) for b in panel.query(".choice, ChoiceButton") if b.display]
        assert labels and all(lb.startswith(f" F{n} ") for lb, n in zip(labels, (6, 7, 8, 10),
                                                                          strict=False)), labels
        await press(pilot, "ctrl+n")  # stops on the open question, in the user's words
        assert bar.message.startswith("predict first: press F6/F7")
        assert "Ctrl+N again goes on" in bar.message
        await press(pilot, "f6")  # answers with the user's key; the verdict names theirs too
        verdict = str(panel.query_one("#verdict", Static).render())
        assert "Ctrl+A or Ctrl+Z steps back" in verdict, verdict
        await press(pilot, "ctrl+a")
        assert m.snap.step == 0
        happened = happened_renderable(m.snap, 80)
        assert "(F2 lists keys)" in happened.rows[0].plain
        trace = m.panel("trace")
        assert isinstance(trace, TracePanel)
        drawn = trace.draw(m.snap)
        assert isinstance(drawn, Rows)
        assert "Ctrl+O opens the lessons, F2 lists every key" in drawn.rows[-1].plain
        m.show_error("something")
        await pilot.pause()
        assert "(Ctrl+E to dismiss)" in str(bar.render())
        assert m.why_disabled("answer", ()) == ""
        m.controller.apply(it.Command.LEAVE_LESSON)
        assert m.why_disabled("answer", ()) == "no question to answer: Ctrl+O opens the lessons"
        assert m.why_disabled("give_up", ()) == ("gives up a challenge; none is running (Ctrl+G "
                                                 "lists them)")
        await press(pilot, "ctrl+t")  # the versions screen names the version picker's key
        assert isinstance(app.screen, VersionsScreen)
        hints = [str(h.render()) for h in app.screen.query(".hint")]
        assert any("F4 switches the open scenario's kernel version" in h for h in hints), hints

    drive(body, lesson="table")
