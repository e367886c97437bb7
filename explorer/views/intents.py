"""Typed intents: everything a user can ask of an explorer, whichever front they use.

The TUI's keys, pickers and palette and the notebook's buttons, boxes and sliders all turn into
one of these values and hand it to :meth:`explorer.views.controller.Controller.apply`, the one
place that acts and returns the next :class:`~explorer.views.snapshot.Snapshot`. An intent is a
:class:`Command` (one that takes no argument) or a small frozen dataclass holding its arguments:
hashable, comparable, printable, so tests can generate and replay them.
What only a front does (open a prompt, switch a panel, take a screenshot) is not an intent.
"""

from __future__ import annotations

from enum import Enum

from explorer.model.records import dataclass


class Command(Enum):
    """An intent that takes no argument: what it asks is all there is to it, so each is one
    value, named as the ACTIONS row that runs it (where a key runs it)."""

    STEP_AUTO = "step_auto"
    """One step forward: the recorded future if there is one, else the first runnable thread."""
    RUN_TO_END = "run_to_end"
    """Run the default schedule until every thread has ended."""
    BACK = "back"
    """One step back in history."""
    FORWARD = "forward"
    """One step forward in history (replays what was undone)."""
    JUMP_END = "jump_end"
    """Jump to the end of the recorded history (to step 0: ``Jump(0)``)."""
    RESET = "reset"
    """Back to step 0 with an empty history."""
    EXPLORE = "explore"
    """Explore every interleaving of the scenario with its what-ifs and faults."""
    PREV = "prev"
    """Previous lesson page in a lesson, else one step back."""
    NEXT = "next"
    """Next lesson page in a lesson, else one step forward."""
    LEAVE_LESSON = "leave_lesson"
    """Close the lesson (the model stays where it is)."""
    GIVE_UP = "give_up"
    """Give the challenge up and load a shortest win at step 0 to step through."""
    STOP_CHALLENGE = "stop_challenge"
    """Stop playing the challenge (the model stays where it is)."""


# -- stepping -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """Step thread ``letter`` by one atomic step."""

    letter: str


@dataclass(frozen=True, slots=True)
class StepOver:
    """Step thread ``letter`` over the call on its current line."""

    letter: str


@dataclass(frozen=True, slots=True)
class Finish:
    """Run a thread until its current function returns: ``letter``, else the thread stepped
    last, else the first runnable one."""

    letter: str = ""


# -- time travel ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Jump:
    """Jump to step ``n`` of the recorded history (``Jump(0)``: to the start)."""

    n: int


@dataclass(frozen=True, slots=True)
class Goto:
    """Go to step ``n``: along the recorded history, then onward by the first runnable thread
    (what a slider or Play does; at most ``n`` steps)."""

    n: int


@dataclass(frozen=True, slots=True)
class LoadSchedule:
    """Replay a schedule (e.g. ``L4V7``) from the start and stand at its end; a bad one changes
    nothing. An explored witness loads so too: its end is the outcome or the state that breaks
    the invariant it witnesses, and the history before it is how it came about."""

    text: str


# -- what-ifs and faults --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ToggleOption:
    """Switch one what-if variant or fault on or off; faults already on keep their count."""

    name: str


@dataclass(frozen=True, slots=True)
class SetOptions:
    """Exactly these what-if variants and faults on, each ``name`` or ``name:n`` (a fault
    failing its ``n``-th allocation); a bare fault already on keeps its count
    (``krealloc_fails:2`` stays ``:2``), a new one fails its first allocation."""

    specs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SetFaultCount:
    """Fault ``name`` on, failing its ``n``-th allocation."""

    name: str
    n: int


# -- what is loaded -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PickScenario:
    """Open scenario ``name`` with its default faults (leaving any lesson)."""

    name: str


@dataclass(frozen=True, slots=True)
class PickKernel:
    """Show the loaded scenario in kernel version ``kernel`` (leaving any lesson; the
    schedule restarts)."""

    kernel: str


@dataclass(frozen=True, slots=True)
class LoadCustom:
    """Register your own IDs (as typed, e.g. ``5 3 9``) as a set, searched for ``key``."""

    ids: str
    key: str = ""


# -- lessons and challenges -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenLesson:
    """Start lesson ``slug`` at page ``page`` (0-based)."""

    slug: str
    page: int = 0


@dataclass(frozen=True, slots=True)
class GotoPage:
    """Open page ``index`` of the current lesson (clamped)."""

    index: int


@dataclass(frozen=True, slots=True)
class Answer:
    """Answer the page's prediction with choice ``index`` (0-based)."""

    index: int


@dataclass(frozen=True, slots=True)
class StartChallenge:
    """Play challenge ``name``: its scenario, what-ifs and faults, at step 0."""

    name: str


Intent = (Command | Step | StepOver | Finish | Jump | Goto | LoadSchedule | ToggleOption
          | SetOptions | SetFaultCount | PickScenario | PickKernel | LoadCustom
          | OpenLesson | GotoPage | Answer | StartChallenge)
"""Every intent."""

__all__ = [
    "Answer", "Command", "Finish", "Goto", "GotoPage", "Intent", "Jump", "LoadCustom",
    "LoadSchedule", "OpenLesson", "PickKernel", "PickScenario", "SetFaultCount",
    "SetOptions", "StartChallenge", "Step", "StepOver", "ToggleOption",
]
