"""The learner's lesson answers: one locked pick per prediction, kept across sessions.

A prediction is answered once: the pick is locked (the point is to commit before seeing), and it
survives leaving and reopening the lesson, or the program. Answers are JSON in the XDG state
directory beside the challenges' progress. A pick is stored with the question it answered: when a
lesson's question changes, the old pick no longer applies and the question is open again.
The file is a :class:`~explorer.views.state_file.StateFile`, like the challenges' progress: an
unusable file is moved aside, never overwritten (one line in ``warning``), and saving never raises.
"""

from __future__ import annotations

from typing import Any

from explorer.model.records import dataclass
from explorer.views.state_file import StateFile

ANSWERS_VERSION = 1


@dataclass(frozen=True, slots=True)
class Answer:
    """A locked pick: the choice's text (not its index: choices may be reordered)."""

    question: str
    pick: str


class AnswerStore(StateFile[Answer]):
    """``lesson-answers.json``: ``{"version": 1, "answers": {"SLUG/PAGE": {question, pick}}}``.
    With ``persist=False`` the answers live for this session only (nothing is read or written).
    """

    NAME, WHAT, VERSION, TABLE = "lesson-answers.json", "lesson answers", ANSWERS_VERSION, "answers"

    def _entry(self, key: str, e: dict[str, Any]) -> Answer:
        if not (isinstance(e.get("question"), str) and isinstance(e.get("pick"), str)):
            raise ValueError(f"answer {key!r}: expected question and pick (text)")
        return Answer(e["question"], e["pick"])

    @property
    def answers(self) -> dict[str, Answer]:
        """Every locked answer, by :meth:`key`."""
        return self.entries

    @staticmethod
    def key(slug: str, page: int) -> str:
        return f"{slug}/{page}"

    def get(self, slug: str, page: int, question: str) -> str | None:
        """The locked pick of page ``page`` of lesson ``slug`` (None: still open)."""
        a = self.answers.get(self.key(slug, page))
        return a.pick if a is not None and a.question == question else None

    def lock(self, slug: str, page: int, question: str, pick: str) -> bool:
        """Record ``pick``; False (nothing changes) if the question was answered already."""
        if self.get(slug, page, question) is not None:
            return False
        self.answers[self.key(slug, page)] = Answer(question, pick)
        self.save()
        return True

    def forget(self, slug: str) -> None:
        """Open every question of lesson ``slug`` again (start the lesson over)."""
        for k in [k for k in self.answers if k.startswith(f"{slug}/")]:
            del self.answers[k]
        self.save()
