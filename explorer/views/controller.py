"""The one controller both fronts drive: scenario, what-ifs, stepping, time travel, exploring,
lessons. Every method returns view models (:mod:`explorer.views.snapshot`) or plain data, and
every bad input raises :class:`ValueError` with a one-line message the front shows as is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from explorer.sim import modern
from explorer.sim.errors import InputError
from explorer.sim.invariants import check_all
from explorer.sim.kernel_scenario import MY_KERNEL, kernel_status
from explorer.sim.scenario import load_scenario
from explorer.sim.schedule import COUNT_MEANING, WITNESS_RULE
from explorer.sim.session import Session
from explorer.sim.spec import Scenario
from explorer.sim.variants import FAULTS, VARIANTS, Options, parse_options
from explorer.views.heap import parse_ids, parse_key
from explorer.views.snapshot import Snapshot, snapshot

# Exploring, lessons, challenges and custom cells are imported where they are first used, not
# here: a front imports this module before its first frame, which needs none of them.
if TYPE_CHECKING:
    from explorer.sim.explore import ExploreResult
    from explorer.sim.lessons import Lesson, Page
    from explorer.views.challenges import ChallengePlay, ChallengeState, ProgressStore, Verdict

__all__ = ["COUNT_MEANING", "WITNESS_RULE", "Choice", "Controller", "ExploreView", "InputError",
           "LessonView", "OutcomeRow"]


@dataclass(frozen=True, slots=True)
class Choice:
    """An entry of a picker: scenario, variant or fault."""

    name: str
    title: str
    description: str
    not_kernel: bool = False
    available: bool = True
    """False for ``my_kernel`` where this machine's BTF cannot be read (``description`` says
    why; loading it raises that reason)."""


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    results: tuple[tuple[str, str], ...]
    count: int
    witness: str
    hidden: str = ""
    """Why ``witness`` is withheld ('' when shown): it would solve an untried challenge."""
    note: str = ""
    """'' when the witness is also a shortest schedule, else its length and a shortest one."""
    about: str = ""
    """The witness's length and thread switches (``11 steps, 1 switch``; '' when hidden)."""

    @property
    def label(self) -> str:
        return ", ".join(f"{k} {v}" for k, v in self.results)


@dataclass(frozen=True, slots=True)
class ExploreView:
    scenario: str
    options: str
    states: int
    transitions: int
    seconds: float
    complete: bool
    outcomes: tuple[OutcomeRow, ...]
    violations: tuple[tuple[str, str, int, str], ...]
    """(invariant, message, states, witness); the witness is '' when a challenge hides it."""
    raw: ExploreResult
    hidden: tuple[str, ...] = ()
    """Per violation: why its witness is withheld ('' when shown)."""
    violation_notes: tuple[str, ...] = ()
    """Per violation: as :attr:`OutcomeRow.note`."""
    violation_about: tuple[str, ...] = ()
    """Per violation: as :attr:`OutcomeRow.about`."""

    @property
    def states_per_second(self) -> float:
        return self.raw.states_per_second


@dataclass(frozen=True, slots=True)
class LessonView:
    slug: str
    title: str
    summary: str
    pages: tuple[Page, ...]


def _explore_view(r: ExploreResult, store: ProgressStore | None = None) -> ExploreView:
    from explorer.sim.explore import describe, witness_note
    from explorer.views.challenges import spoiler

    def why(witness: str) -> str:
        return spoiler(store, r.scenario, r.options, witness) if store and witness else ""

    def note(witness: str, shortest: str) -> str:
        # a shortest schedule that would give a challenge away is not named either
        return "" if why(shortest) else witness_note(witness, shortest)

    rows = []
    for o in r.outcomes:
        h = why(o.witness)
        rows.append(OutcomeRow(tuple(o.results.items()), o.count, "" if h else o.witness, h,
                               "" if h else note(o.witness, o.shortest),
                               "" if h or not o.witness else describe(o.witness)))
    vh = tuple(why(v.witness) for v in r.violations)
    return ExploreView(
        r.scenario, r.options, r.states, r.transitions, r.seconds, r.complete, tuple(rows),
        tuple((v.invariant, v.message, v.count, "" if h else v.witness)
              for v, h in zip(r.violations, vh, strict=True)), r, vh,
        tuple("" if h else note(v.witness, v.shortest) for v, h in zip(r.violations, vh,
                                                                      strict=True)),
        tuple("" if h or not v.witness else describe(v.witness)
              for v, h in zip(r.violations, vh, strict=True)))


class Controller:
    """State of one explorer: which scenario, which what-ifs, the session timeline."""

    def __init__(self, scenario: str = "module_race",
                 progress: ProgressStore | None = None, *, kernel: str | None = None) -> None:
        self._scenario: Scenario = modern.load(scenario, kernel)
        self.session = Session(self._scenario, parse_options((), self._scenario.default_faults))
        self._lessons: list[Lesson] | None = None
        self._progress = progress
        self.play: ChallengePlay | None = None
        """The challenge being played, if any (see :meth:`start_challenge`)."""

    # -- catalogues ------------------------------------------------------------------------
    @staticmethod
    def scenarios() -> list[Choice]:
        """Built-in scenarios, then ``my_kernel`` (marked unavailable, with the reason, where this
        machine's BTF cannot be read)."""
        out = [Choice(n, modern.load(n).title, modern.load(n).description)
               for n in modern.all_names()]
        ok, why = kernel_status()
        if ok:
            sc = load_scenario(MY_KERNEL)
            out.append(Choice(sc.name, sc.title, sc.description))
        else:
            out.append(Choice(MY_KERNEL, f"unavailable here: {why}", why, available=False))
        return out

    @staticmethod
    def scenario_names() -> list[str]:
        """The names :meth:`scenarios` lists, without loading any scenario or reading BTF."""
        return [*modern.all_names(), MY_KERNEL]

    @staticmethod
    def my_kernel_status() -> tuple[bool, str]:
        """Whether the ``my_kernel`` scenario is available here, and why (not)."""
        return kernel_status()

    @staticmethod
    def variants() -> list[Choice]:
        return [Choice(v.name, v.title, v.description, True) for v in VARIANTS.values()]

    @staticmethod
    def faults() -> list[Choice]:
        return [Choice(f.name, f.title, f.description) for f in FAULTS.values()]

    def lessons(self) -> list[LessonView]:
        if self._lessons is None:
            from explorer.sim.lessons import load_lessons

            self._lessons = load_lessons()
        return [LessonView(ls.slug, ls.title, ls.summary, ls.pages) for ls in self._lessons]

    # -- what is loaded -------------------------------------------------------------------
    @property
    def scenario_name(self) -> str:
        return self._scenario.name

    @property
    def kernel(self) -> str:
        """The kernel version the loaded scenario shows (5.16, 5.18, 6.17)."""
        return self._scenario.kernel

    def versions(self) -> tuple[str, ...]:
        """The kernel versions the loaded scenario exists in (the version picker's choices)."""
        return modern.versions(self._scenario.name) or (self._scenario.kernel,)

    def set_kernel(self, kernel: str) -> None:
        """Switch the loaded scenario to another kernel version; the schedule restarts (a
        schedule of one version does not replay in another). One-line ValueError if the
        scenario has no such version; nothing changes then."""
        if kernel == self._scenario.kernel:
            return
        self.load(self._scenario.name, (), None, "", kernel)

    @property
    def options(self) -> Options:
        return self.session.options

    @property
    def thread_letters(self) -> list[tuple[str, str]]:
        return [(t.letter, t.name) for t in self.session.state.threads]

    def snapshot(self) -> Snapshot:
        return snapshot(self.session)

    def first_violation(self) -> tuple[int, str, str] | None:
        """(step, invariant, message) of the first step, up to the current one, whose state
        breaks an invariant (the step a violation witness exists to show); None if none does."""
        states = self.session.states
        for i in range(1, self.session.cursor + 1):
            broken = check_all(states[i])
            if broken:
                return i, broken[0][0], broken[0][1]
        return None

    def load(self, scenario: str, variants: list[str] | tuple[str, ...] = (),
             faults: list[str] | tuple[str, ...] | None = None, schedule: str = "",
             kernel: str | None = None) -> None:
        """Open ``scenario`` (in ``kernel``'s version; None: its default) with these what-ifs and
        faults, replaying ``schedule``.

        Raises ValueError (one line) and leaves everything as it was on bad input."""
        sc = modern.load(scenario, kernel)
        opts = parse_options(variants, sc.default_faults if faults is None else faults)
        sess = Session(sc, opts)
        if schedule:
            sess.load_schedule(schedule)
        self._scenario, self.session = sc, sess
        self.play = None

    def load_custom(self, ids: str, key: str = "", prog_type: str = "STRUCT_OPS") -> None:
        """Register your own IDs (text, as typed) as a built-in set and open that scenario.

        Raises ValueError (one line) and keeps everything as it was on bad input."""
        from explorer.sim.custom import custom_scenario

        sc = custom_scenario(parse_ids(ids, "my cell"), parse_key(key), prog_type)
        self._scenario, self.session = sc, Session(sc, parse_options((), ()))
        self.play = None

    def set_options(self, variants: list[str] | tuple[str, ...],
                    faults: list[str] | tuple[str, ...]) -> None:
        """Switch what-ifs/faults, keeping the schedule where it still replays (else restart)."""
        opts = parse_options(variants, faults)
        sched = self.session.schedule
        sess = Session(self._scenario, opts)
        try:
            sess.load_schedule(sched)
        except InputError:
            sess = Session(self._scenario, opts)
        self.session = sess

    def open_page(self, page: Page) -> None:
        self.load(page.scenario, page.variants, page.faults, page.schedule, page.kernel or None)

    @staticmethod
    def page_answer(page: Page) -> str:
        from explorer.sim.lessons import answer

        return answer(page)

    @staticmethod
    def grade(pick: str, truth: str) -> bool:
        """Whether a learner's choice is the model's answer: the one rule of every front
        (surrounding space and letter case do not matter: ``NULL`` is ``null``)."""
        return pick.strip().casefold() == truth.strip().casefold()

    # -- stepping and time travel --------------------------------------------------------
    def _letter(self, letter: str) -> str:
        """``letter`` as a thread of this scenario (InputError, one line, if it is none)."""
        threads = self.session.state.threads
        up = letter.upper()
        if all(t.letter != up for t in threads):
            raise InputError(f"no thread {letter!r} (threads: "
                             f"{', '.join(f'{t.letter}={t.name}' for t in threads)})")
        return up

    def step(self, letter: str) -> None:
        self.session.step(self._letter(letter))

    def step_over(self, letter: str) -> None:
        self.session.step_over(self._letter(letter))

    def finish(self, letter: str) -> None:
        self.session.finish(self._letter(letter))

    def step_auto(self) -> bool:
        return self.session.step_auto() is not None

    def back(self) -> bool:
        return self.session.back()

    def forward(self) -> bool:
        return self.session.forward() is not None

    def jump(self, n: int) -> None:
        self.session.jump(n)

    def jump_start(self) -> None:
        self.session.jump(0)

    def jump_end(self) -> None:
        self.session.jump(self.session.length)

    def reset(self) -> None:
        self.session.reset()

    def run_to_end(self) -> int:
        return self.session.run_to_end()

    def load_schedule(self, text: str) -> None:
        """Replay a pasted schedule from the start (nothing changes if it is bad)."""
        self.session.load_schedule(text)

    def load_witness(self, schedule: str) -> None:
        """Record ``schedule`` (an explorer witness) and stand at step 0, ready to play it:
        forward steps and autoplay follow it. Nothing changes if it is bad."""
        self.session.load_schedule(schedule)
        self.session.jump(0)

    # -- exploration ---------------------------------------------------------------------
    def explore(self, progress: Callable[[int, int], None] | None = None,
                cancel: Callable[[], bool] | None = None,
                keep_graph: bool = False) -> ExploreView:
        """Every interleaving. With a progress store (the fronts pass one; starting a challenge
        opens one), witnesses that would win a challenge not tried yet are withheld."""
        from explorer.sim.explore import explore

        return _explore_view(explore(self._scenario, self.session.options, progress=progress,
                                     cancel=cancel, keep_graph=keep_graph), self._progress)

    # -- challenges ----------------------------------------------------------------------
    @property
    def progress(self) -> ProgressStore:
        """The learner's challenge progress (read from the XDG state directory on first use)."""
        if self._progress is None:
            from explorer.views.challenges import ProgressStore

            self._progress = ProgressStore()
        return self._progress

    def start_challenge(self, name: str) -> ChallengePlay:
        """Open the challenge's scenario under its what-ifs and faults, at step 0."""
        from explorer.views.challenges import open_challenge

        play = open_challenge(name, self.progress)
        c = play.challenge
        self.load(c.scenario, c.variants, c.faults)
        self.play = play
        play.update(self.session)
        return play

    def challenge_update(self) -> tuple[Verdict, bool] | None:
        """Judge the timeline at the cursor (None when no challenge is on); True: a try was
        just decided (and counted)."""
        if self.play is None:
            return None
        return self.play.update(self.session)

    def challenge_state(self) -> ChallengeState | None:
        """Judge the timeline at the cursor and say where the challenge stands (None: no
        challenge). Call it after every move: it counts a try the first time a timeline is
        decided, and says so once (``just_decided``)."""
        r = self.challenge_update()
        if r is None or self.play is None:
            return None
        return self.play.state(r[1])

    def give_up(self) -> str:
        """Give the current challenge up (it stops being played: a win from here would not be
        yours) and load a shortest winning schedule, returned, at step 0 to step through."""
        if self.play is None:
            raise InputError("no challenge is being played")
        sched = self.play.give_up()
        self.play = None
        if sched:
            self.session.load_schedule(sched)
            self.session.jump(0)
        return sched

    def stop_challenge(self) -> None:
        self.play = None
