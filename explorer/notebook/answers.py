"""The learner's files (locked lesson answers, challenge progress), as the notebook's widgets
share them.

The TUI keeps one :class:`~explorer.views.lesson_answers.AnswerStore` and one
:class:`~explorer.views.challenges.ProgressStore` (in the XDG state directory). A notebook has
many widgets, each with its own controller, in one kernel: they all read and write one store of
each (:func:`answer_store`, :func:`progress_store`), so a widget never overwrites what another
saved. An answer locked in one widget (:func:`announce`) locks the same question in every other
(:func:`listen`): the narration's prediction, the page it opens, and the lesson widget agree. The
progress store lets an explorer withhold a witness that would solve a challenge not tried yet,
as the TUI's explorer does.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Protocol, TypeVar

from explorer.resources import lessons_dir
from explorer.views.challenges import ProgressStore
from explorer.views.controller import Controller, LessonView
from explorer.views.lesson_answers import AnswerStore
from explorer.views.state_file import state_dir


class AnswerListener(Protocol):
    """A widget that shows lesson questions (and locks them when one is answered elsewhere)."""

    def answered(self, slug: str, index: int) -> None:
        """The question of page ``index`` of lesson ``slug`` was just locked."""


S = TypeVar("S", AnswerStore, ProgressStore)

_STORES: dict[Path, AnswerStore | ProgressStore] = {}
"""The kernel's stores, by file (a test's fresh state directory gets fresh ones)."""
_LISTENERS: weakref.WeakSet[AnswerListener] = weakref.WeakSet()


def _one(kind: type[S]) -> S:
    """The one store of ``kind`` of this kernel for the current state directory."""
    path = state_dir() / kind.NAME
    store = _STORES.get(path)
    if not isinstance(store, kind):
        store = kind(path)
        _STORES[path] = store
    return store


def answer_store() -> AnswerStore:
    """The kernel's locked lesson answers."""
    return _one(AnswerStore)


def progress_store() -> ProgressStore:
    """The kernel's challenge progress."""
    return _one(ProgressStore)


_LESSONS: tuple[tuple[tuple[str, int, int], ...], list[LessonView]] | None = None
"""The lessons as last read, with the files' (name, mtime, size) they were read from."""


def shared_lessons() -> list[LessonView]:
    """Every lesson, read once a kernel (again when a lesson file changes): each widget's
    controller shares them, where each read them all (~0.1 s a Check, for one page)."""
    global _LESSONS
    files = sorted(lessons_dir().glob("*.toml"))
    key = tuple((p.name, (st := p.stat()).st_mtime_ns, st.st_size) for p in files)
    if _LESSONS is None or _LESSONS[0] != key:
        _LESSONS = key, Controller().lessons()
    return list(_LESSONS[1])


def listen(widget: AnswerListener) -> None:
    """Tell ``widget`` of every answer locked from now on (held weakly)."""
    _LISTENERS.add(widget)


def announce(slug: str, index: int) -> None:
    """Page ``index`` of lesson ``slug`` was just answered: every listener hears it."""
    for w in list(_LISTENERS):
        w.answered(slug, index)


def is_open(slug: str, index: int, question: str) -> bool:
    """Whether the question of page ``index`` of lesson ``slug`` still waits for an answer."""
    return answer_store().get(slug, index, question) is None
