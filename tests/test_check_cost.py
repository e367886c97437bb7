"""A Check does its work once: the page's reveal is replayed once (the verdict is read from the
state the model then shows), and a notebook's widgets read the lessons once between them.
Counts, not timings (benchmarks/bench_notebook.py prints the figures)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from explorer.sim import lessons as sim_lessons
from explorer.sim import session as sim_session
from explorer.views import intents as it
from explorer.views.controller import Controller
from explorer.views.lesson_answers import AnswerStore


@pytest.fixture()
def replays(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The schedules the model replays from now on (every run, load and reveal goes here)."""
    seen: list[str] = []
    real: Callable[..., Any] = sim_session._replay

    def counting(sc: Any, opts: Any, schedule: str, *a: Any, **kw: Any) -> Any:
        seen.append(schedule)
        return real(sc, opts, schedule, *a, **kw)

    monkeypatch.setattr(sim_session, "_replay", counting)
    sim_lessons._reveal_builtin.cache_clear()  # a reveal run earlier in the process is no help
    yield seen


def _asking_pages() -> list[tuple[str, int]]:
    return [(ls.slug, k) for ls in Controller().lessons() for k, p in enumerate(ls.pages)
            if p.predict is not None]


def test_an_answer_replays_the_page_s_reveal_once(tmp_path: Path, replays: list[str]) -> None:
    for slug, k in _asking_pages():
        c = Controller(answers=AnswerStore(tmp_path / f"{slug}{k}.json"))
        c.apply(it.OpenLesson(slug, k))
        page = c.lesson.pages[k]  # type: ignore[union-attr]
        sim_lessons._reveal_builtin.cache_clear()
        replays.clear()
        v = c.answer(0)
        assert replays == [sim_lessons.reveal_schedule(page)[0]], (slug, k, replays)
        # the same verdict as the lesson check's own run gives, at the step it shows
        assert v is not None and v.truth == sim_lessons.answer(page)
        assert v.revealed_at == c.session.cursor == len(sim_lessons.reveal(page).schedule)


def test_a_bad_reveal_locks_nothing_and_changes_nothing(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    c = Controller(answers=AnswerStore(tmp_path / "a.json"))
    slug, k = _asking_pages()[0]
    c.apply(it.OpenLesson(slug, k))
    before = c.snapshot()

    def bad(page: Any) -> tuple[str, bool]:
        return "Q", False  # no thread Q: the replay refuses it

    monkeypatch.setattr(sim_lessons, "reveal_schedule", bad)
    with pytest.raises(ValueError):
        c.apply(it.Answer(0))
    assert c.snapshot() == before
    assert c.locked_pick(k) is None


def test_a_notebook_s_widgets_read_the_lessons_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.notebook import answers
    from explorer.notebook.widgets import LessonWidget, PredictionWidget

    first = answers.shared_lessons()
    reads: list[object] = []
    real = sim_lessons.load_lesson_file
    monkeypatch.setattr(sim_lessons, "load_lesson_file",
                        lambda *a, **kw: reads.append(a) or real(*a, **kw))
    ls = next(x for x in first if any(p.predict for p in x.pages))
    k = next(i for i, p in enumerate(ls.pages) if p.predict is not None)
    w = PredictionWidget(ls, k)
    w.choices.value = w.choices.options[0]
    assert w.check_answer() is not None
    LessonWidget(ls, explorer=False)
    assert reads == []  # the Check and the lesson widget read no lesson file again
    assert w.ctl.lessons()[0] is first[0]


def test_shared_lessons_are_read_again_when_a_file_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.notebook import answers

    src = sorted(sim_lessons.LESSON_DIR.glob("*.toml"))[0]
    (tmp_path / src.name).write_text(src.read_text())
    monkeypatch.setattr(answers, "lessons_dir", lambda: tmp_path)
    monkeypatch.setattr(sim_lessons, "LESSON_DIR", tmp_path)
    one = answers.shared_lessons()
    assert answers.shared_lessons()[0] is one[0]
    (tmp_path / src.name).write_text(src.read_text().replace("title = ", "title = 'x' #", 1))
    again = answers.shared_lessons()
    assert again[0] is not one[0]
