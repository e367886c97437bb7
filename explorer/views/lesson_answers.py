"""The learner's lesson answers: one locked pick per prediction, kept across sessions.

A prediction is answered once: the pick is locked (the point is to commit before seeing), and it
survives leaving and reopening the lesson, or the program. Answers are JSON in the XDG state
directory beside the challenges' progress. A pick is stored with the question it answered: when a
lesson's question changes, the old pick no longer applies and the question is open again.
Like :class:`explorer.views.challenges.ProgressStore`, an unreadable file is moved aside (one line
in ``warning``) and saving never raises.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from explorer.views.challenges import state_dir

ANSWERS_VERSION = 1


@dataclass(frozen=True, slots=True)
class Answer:
    """A locked pick: the choice's text (not its index: choices may be reordered)."""

    question: str
    pick: str


class AnswerStore:
    """``lesson-answers.json``: ``{"version": 1, "answers": {"SLUG/PAGE": {question, pick}}}``."""

    def __init__(self, path: Path | None = None, *, persist: bool = True) -> None:
        self.path = path or state_dir() / "lesson-answers.json"
        self.persist = persist
        """False: answers live for this session only (nothing is read or written)."""
        self.warning = ""
        self.answers: dict[str, Answer] = {}
        if persist:
            self._load()

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

    def _load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError) as e:
            self._set_aside(f"cannot read it ({e})")
            return
        try:
            raw = json.loads(text)
            if not isinstance(raw, dict) or raw.get("version") != ANSWERS_VERSION:
                raise ValueError("not a lesson-answers file of this version")
            got = raw.get("answers")
            if not isinstance(got, dict):
                raise ValueError("'answers' is not a table")
            out = {}
            for k, v in got.items():
                if not (isinstance(v, dict) and isinstance(v.get("question"), str)
                        and isinstance(v.get("pick"), str)):
                    raise ValueError(f"answer {k!r}: expected question and pick (text)")
                out[str(k)] = Answer(v["question"], v["pick"])
            self.answers = out
        except ValueError as e:
            self._set_aside(str(e).splitlines()[0] if str(e) else "not valid JSON")

    def _set_aside(self, why: str) -> None:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
        try:
            self.path.rename(aside)
            self.warning = f"{self.path}: {why}; moved aside to {aside.name}"
        except OSError as e:
            self.warning = f"{self.path}: {why}; could not move it aside ({e}): answers not saved"
            self.persist = False

    def save(self) -> None:
        if not self.persist:
            return
        data = {"version": ANSWERS_VERSION, "answers": {
            k: {"question": a.question, "pick": a.pick} for k, a in sorted(self.answers.items())}}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as e:
            self.warning = f"{self.path}: cannot save lesson answers ({e.strerror or e})"
