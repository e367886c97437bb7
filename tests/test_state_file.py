"""The learner's state files (challenge progress, lesson answers): one set of rules, in
:mod:`explorer.views.state_file`. An unusable file is moved aside under a name that never
replaces an earlier one; one that cannot be moved is left alone and never written over; a failed
save keeps the data in memory; every case is one line of warning, never an exception."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from explorer.sim.challenges import check_schedule, get_challenge
from explorer.views.challenges import ProgressStore
from explorer.views.lesson_answers import AnswerStore

STAMP = "20261130T031500"


@pytest.fixture
def state(_private_state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The state directory, created, with the clock fixed at :data:`STAMP`."""
    monkeypatch.setattr(time, "strftime", lambda fmt: STAMP)
    d = _private_state_dir / "kfunc-explorer"
    d.mkdir(parents=True)
    return d


def _one_line(warning: str) -> bool:
    return bool(warning) and "\n" not in warning


def test_both_stores_are_state_files_in_the_xdg_state_directory(state: Path) -> None:
    assert ProgressStore().path == state / "progress.json"
    assert AnswerStore().path == state / "lesson-answers.json"


def test_an_unusable_file_is_moved_aside_under_a_name_never_taken(state: Path) -> None:
    f = state / "lesson-answers.json"
    (state / f"lesson-answers.json.corrupt-{STAMP}").write_text("an earlier one")
    (state / f"lesson-answers.json.corrupt-{STAMP}-1").write_text("and another")
    f.write_text('{"version": 1, "answers": {"sort/0": {"question": "q"}}}')
    store = AnswerStore()
    assert _one_line(store.warning) and str(f) in store.warning
    assert f"moved aside to lesson-answers.json.corrupt-{STAMP}-2" in store.warning
    assert "answer 'sort/0'" in store.warning  # why, in the file's own terms
    assert (state / f"lesson-answers.json.corrupt-{STAMP}").read_text() == "an earlier one"
    assert (state / f"lesson-answers.json.corrupt-{STAMP}-1").read_text() == "and another"
    assert "question" in (state / f"lesson-answers.json.corrupt-{STAMP}-2").read_text()
    assert store.lock("sort", 0, "q", "A")  # a fresh file from here on
    saved = json.loads(f.read_text())
    assert saved == {"version": 1, "answers": {"sort/0": {"question": "q", "pick": "A"}}}


@pytest.mark.parametrize("content", ['{"version": 2, "answers": {}}', '{"version": 1}', "[]",
                                     "{oops", "\udcff"])
def test_every_kind_of_unusable_answers_file_is_set_aside(state: Path, content: str) -> None:
    (state / "lesson-answers.json").write_bytes(content.encode("utf-8", "surrogateescape"))
    store = AnswerStore()
    assert _one_line(store.warning) and "moved aside" in store.warning and not store.answers
    aside = state / f"lesson-answers.json.corrupt-{STAMP}"
    assert aside.read_bytes() == content.encode("utf-8", "surrogateescape")


def test_a_file_that_cannot_be_moved_aside_is_left_alone_and_never_written(
        state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = state / "progress.json"
    f.write_text("{the learner's progress, damaged")

    def refuse(self: Path, target: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "rename", refuse)  # as in a read-only directory (root ignores modes)
    store = ProgressStore()
    assert _one_line(store.warning) and str(f) in store.warning
    assert "could not move it aside (Permission denied)" in store.warning
    assert "progress will not be saved this session" in store.warning
    c = get_challenge("early_verifier")
    p = store.record(c.name, check_schedule(c, "L3V10"))  # playing goes on, in memory
    assert p.won and store.get(c.name).tries == 1
    assert f.read_text() == "{the learner's progress, damaged"
    assert sorted(x.name for x in state.iterdir()) == ["progress.json"]  # no .tmp either


def test_an_unwritable_state_directory_keeps_the_data_and_warns(
        _private_state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = _private_state_dir / "not-a-dir"
    blocker.write_text("a file where the state directory should be")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    store = AnswerStore()
    assert store.warning == "" and not store.answers  # nothing to read is not a problem
    assert store.lock("sort", 1, "which cell?", "B")
    assert _one_line(store.warning) and "cannot save lesson answers" in store.warning
    assert store.get("sort", 1, "which cell?") == "B"  # kept for the session
    assert blocker.read_text() == "a file where the state directory should be"


def test_a_failed_save_leaves_no_temporary_file_and_the_next_save_retries(
        state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ProgressStore()
    real_write = Path.write_text

    def full_disk(self: Path, *a: object, **kw: object) -> int:
        real_write(self, "half a fi")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full_disk)
    store.give_up("write_once")
    assert _one_line(store.warning) and "No space left on device" in store.warning
    assert list(state.iterdir()) == []
    monkeypatch.setattr(Path, "write_text", real_write)
    store.give_up("half_filled")
    assert json.loads((state / "progress.json").read_text())["challenges"].keys() == {
        "write_once", "half_filled"}


def test_a_session_only_store_reads_and_writes_nothing(state: Path) -> None:
    f = state / "lesson-answers.json"
    f.write_text("{not even JSON")
    store = AnswerStore(persist=False)
    assert store.warning == "" and not store.answers
    assert store.lock("sort", 0, "q", "A") and store.get("sort", 0, "q") == "A"
    assert sorted(x.name for x in state.iterdir()) == ["lesson-answers.json"]
    assert f.read_text() == "{not even JSON"


# -- both fronts say it -----------------------------------------------------------------------


def test_the_tui_says_at_start_that_the_answers_file_was_set_aside(state: Path) -> None:
    from textual.pilot import Pilot

    from explorer.tui.app import ExplorerApp
    from explorer.tui.widgets.error_bar import ErrorBar
    from tests.conftest import drive

    (state / "lesson-answers.json").write_text("{oops")
    seen: list[str] = []

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        seen.append(app.main_screen.query_one(ErrorBar).message)

    drive(body)
    assert "lesson-answers.json" in seen[0] and "moved aside" in seen[0] and "\n" not in seen[0]
    assert (state / f"lesson-answers.json.corrupt-{STAMP}").read_text() == "{oops"


def test_the_notebook_lesson_says_the_answers_file_was_set_aside(state: Path) -> None:
    from explorer.notebook import LessonWidget, lesson

    (state / "lesson-answers.json").write_text('{"version": 1, "answers": []}')
    lw = LessonWidget(lesson("sort"), explorer=False)
    assert "lesson-answers.json" in lw.warning.value and "moved aside" in lw.warning.value
    assert "is not a table" in lw.warning.value  # why, escaped for HTML
    assert lw.warning in lw.children
