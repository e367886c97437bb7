"""The one controller both fronts drive: scenario, what-ifs, stepping, time travel, exploring,
lessons. Every method returns view models (:mod:`explorer.views.snapshot`) or plain data, and
every bad input raises :class:`ValueError` with a one-line message the front shows as is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, assert_never

from explorer.model.records import dataclass
from explorer.sim import modern
from explorer.sim.errors import InputError
from explorer.sim.invariants import check_all
from explorer.sim.scenario import load_scenario
from explorer.sim.schedule import COUNT_MEANING, WITNESS_RULE
from explorer.sim.session import Session
from explorer.sim.spec import Lesson, Page, Scenario
from explorer.sim.variants import FAULTS, VARIANTS, Choice, Options, parse_options
from explorer.views import intents as it
from explorer.views.actions import DEFAULT_KEYS, Keys
from explorer.views.heap import parse_ids, parse_key
from explorer.views.intents import Intent
from explorer.views.snapshot import (
    AnswerVerdict,
    LessonState,
    OptionState,
    Snapshot,
    panel_for_focus,
    snapshot,
)

# Exploring, lessons, challenges and custom cells are imported where they are first used, not
# here: a front imports this module before its first frame, which needs none of them.
if TYPE_CHECKING:
    from pathlib import Path

    from explorer.sim.explore import ExploreResult
    from explorer.sim.lessons import LessonEntry
    from explorer.views.challenges import ChallengePlay, ChallengeState, ProgressStore, Verdict
    from explorer.views.lesson_answers import AnswerStore

__all__ = ["COUNT_MEANING", "WITNESS_RULE", "Choice", "Controller", "ExploreView", "InputError",
           "LessonView", "OutcomeRow", "grade", "option_state", "select_options"]


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    """One outcome an exploration reached: the threads' results, how many end states give it,
    and a schedule that reaches it (the witness)."""

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
    """An exploration as the fronts show it: its size, whether it finished, its outcomes and
    the invariants it found broken, each with a witness."""

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


LessonView = Lesson
"""A lesson as the fronts see it is the lesson itself (slug, title, summary, pages): the data
lives in :mod:`explorer.sim.spec`, light enough to name before the first frame."""


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


def grade(pick: str, truth: str) -> bool:
    """Whether a learner's choice is the model's answer: the one rule of every front
    (surrounding space and letter case do not matter: ``NULL`` is ``null``)."""
    return pick.strip().casefold() == truth.strip().casefold()


def option_state(opts: Options) -> tuple[OptionState, ...]:
    """Every variant and fault, on or off, faults with their counts."""
    counts = dict(opts.faults)
    return (*(OptionState(v.name, "variant", v.title, v.name in opts.variants)
              for v in VARIANTS.values()),
            *(OptionState(f.name, "fault", f.title, f.name in counts, counts.get(f.name, 0),
                          f.takes_n) for f in FAULTS.values()))


def select_options(opts: Options, specs: tuple[str, ...] | list[str]) -> Options:
    """Exactly ``specs`` on, each ``name`` or, for a fault, ``name:n`` (failing its ``n``-th
    allocation): a bare fault already on in ``opts`` keeps its count (``krealloc_fails:2`` stays
    ``:2``), a new one counts 1. In catalogue order, so one choice is one label in every front.
    An unknown name or a bad count is a one-line InputError."""
    names = [s.partition(":")[0].strip() for s in specs]
    for n in names:
        if n not in VARIANTS and n not in FAULTS:
            allowed = ", ".join([*VARIANTS, *FAULTS])
            raise InputError(f"unknown what-if or fault {n!r} (allowed: {allowed})")
    counts = dict(opts.faults)
    faults = [s if ":" in s or n not in counts else f"{n}:{counts[n]}"
              for s, n in zip(specs, names, strict=True) if n in FAULTS]
    parsed = parse_options([s for s, n in zip(specs, names, strict=True) if n not in FAULTS],
                           faults)
    counts = dict(parsed.faults)
    return Options(tuple(v for v in VARIANTS if v in parsed.variants),
                   tuple((f, counts[f]) for f in FAULTS if f in counts))


class Controller:
    """State of one explorer: which scenario, which what-ifs, the session timeline, the lesson
    page and the challenge. :meth:`apply` is the one place an intent acts."""

    def __init__(self, scenario: str = "module_race",
                 progress: ProgressStore | None = None, *, kernel: str | None = None,
                 answers: AnswerStore | None = None,
                 lessons: list[Lesson] | None = None) -> None:
        self._scenario: Scenario = modern.load(scenario, kernel)
        self.session = Session(self._scenario, parse_options((), self._scenario.default_faults))
        self._lesson_index: list[LessonEntry] | None = None
        """The lesson files in lesson order, read no further than their top-level keys."""
        self._read: dict[Path, Lesson] = {}
        """The lessons read so far (their form checked), by file."""
        self._unchecked: dict[int, tuple[str, int, Page]] = {}
        """Pages of :attr:`_lessons` not yet run in the model: id → (file, index, page)."""
        if lessons is not None:  # read already (a notebook's widgets share one reading)
            self._use_lessons(lessons)
        self._progress = progress
        self.play: ChallengePlay | None = None
        """The challenge being played, if any (see :meth:`start_challenge`)."""
        self.lesson: LessonView | None = None
        """The lesson being followed (None: free exploring)."""
        self.page_index = 0
        """The page of :attr:`lesson` shown."""
        self.verdict: AnswerVerdict | None = None
        """The verdict on the current page's prediction, once answered."""
        self._answers = answers
        self.keys: Keys = DEFAULT_KEYS
        """How the notes name keys: a front with a user keymap sets it (the TUI), so a learner
        reads the keys they bound; the notebook words its buttons from :attr:`lesson_stop`."""
        self.lesson_note = ""
        """Why the last lesson intent did not move on ('' when it did): Next stopping once on
        an open question or a last page, an answer already locked, Prev on the first page."""
        self.lesson_stop = ""
        """The same, as a code each front words for itself (:data:`LESSON_STOPS`)."""
        self._held: tuple[str, int, str] | None = None
        """Where Next last stopped once (lesson, page, why): asked again, it goes on."""
        self.last_letter = ""
        """The thread stepped last (what :class:`~explorer.views.intents.Finish` runs)."""
        self.last_explore: ExploreView | None = None
        """The last :class:`~explorer.views.intents.Explore` result (None after a change)."""
        self.last_give_up = ""
        """The shortest win the last :class:`~explorer.views.intents.GiveUp` loaded."""
        self.last_dropped: list[str] = []
        """What the last :class:`~explorer.views.intents.PickScenario` dropped: what-ifs and
        faults that were on and do not apply to the new scenario (a front says so)."""

    # -- catalogues ------------------------------------------------------------------------
    @staticmethod
    def scenarios() -> list[Choice]:
        """Built-in scenarios, then ``my_kernel`` (marked unavailable, with the reason, where this
        machine's BTF cannot be read)."""
        from explorer.sim.kernel_scenario import MY_KERNEL, kernel_status

        out = [Choice(n, modern.load(n).title, modern.load(n).description,
                      versions=modern.versions(n)) for n in modern.all_names()]
        ok, why = kernel_status()
        mine = modern.versions(MY_KERNEL)
        if ok:
            sc = load_scenario(MY_KERNEL)
            out.append(Choice(sc.name, sc.title, sc.description, versions=mine))
        else:
            out.append(Choice(MY_KERNEL, f"unavailable here: {why}", why, available=False,
                              versions=mine))
        return out

    @staticmethod
    def scenario_names() -> list[str]:
        """The names :meth:`scenarios` lists, without loading any scenario or reading BTF."""
        from explorer.sim.kernel_scenario import MY_KERNEL

        return [*modern.all_names(), MY_KERNEL]

    @staticmethod
    def my_kernel_status() -> tuple[bool, str]:
        """Whether the ``my_kernel`` scenario is available here, and why (not)."""
        from explorer.sim.kernel_scenario import kernel_status

        return kernel_status()

    @staticmethod
    def variants() -> list[Choice]:
        """Every what-if variant (:data:`~explorer.sim.variants.VARIANTS`)."""
        return list(VARIANTS.values())

    @staticmethod
    def faults() -> list[Choice]:
        """Every fault (:data:`~explorer.sim.variants.FAULTS`)."""
        return list(FAULTS.values())

    def applicable_variants(self) -> list[Choice]:
        """The what-if variants the loaded scenario offers (the ones that change it), in
        :data:`VARIANTS` order."""
        return [c for c in self.variants() if c.name in self._scenario.variants]

    def applicable_faults(self) -> list[Choice]:
        """The faults the loaded scenario offers, in :data:`FAULTS` order."""
        return [c for c in self.faults() if c.name in self._scenario.faults]

    def offered_options(self) -> set[str]:
        """Names of the what-ifs and faults a picker offers: those that apply to the loaded
        scenario, and any that are on (so they can be turned off)."""
        vs, fs, _ = self.whatif_choices()
        return {c.name for c in (*vs, *fs)}

    def whatif_choices(self) -> tuple[list[Choice], list[Choice], list[str]]:
        """What a what-if picker offers: (variants, faults, names left out). Offered: those
        that apply to the loaded scenario, and any that are on (so they can be turned off)."""
        opts = self.session.options
        on = set(opts.variants) | {f for f, _ in opts.faults}
        vs = [c for c in self.variants() if c.name in self._scenario.variants or c.name in on]
        fs = [c for c in self.faults() if c.name in self._scenario.faults or c.name in on]
        offered = {c.name for c in (*vs, *fs)}
        return vs, fs, [c.name for c in (*self.variants(), *self.faults())
                        if c.name not in offered]

    def lessons(self) -> list[LessonView]:
        """Every lesson, each file read once. Their form is checked here; each page is run in
        the model and checked when first opened (:meth:`open_page`): reading them all through
        the model took seconds before a picker could list them."""
        return [self._lesson(e) for e in self._lesson_entries()]

    def _lesson_entries(self) -> list[LessonEntry]:
        """The lesson files in lesson order (read once, no further than their top-level keys:
        a newcomer's first page needs lesson 1 alone)."""
        if self._lesson_index is None:
            from explorer.sim.lessons import lesson_index

            self._lesson_index = lesson_index()
        return self._lesson_index

    def _lesson(self, entry: LessonEntry) -> Lesson:
        """The lesson of ``entry``, read (its form checked) the first time it is asked for."""
        ls = self._read.get(entry.path)
        if ls is None:
            from explorer.sim.lessons import load_lesson_file

            ls = self._read[entry.path] = load_lesson_file(entry.path, check=False)
            self._unchecked.update({id(pg): (ls.path, i, pg) for i, pg in enumerate(ls.pages)})
        return ls

    @property
    def lesson_count(self) -> int:
        """How many lessons there are (their pages not read)."""
        return len(self._lesson_entries())

    def _use_lessons(self, lessons: list[Lesson]) -> None:
        """Follow ``lessons``, read already; each page is checked against the model when first
        opened here."""
        from pathlib import Path

        from explorer.sim.lessons import LessonEntry

        self._lesson_index = [LessonEntry(ls.slug, ls.order, Path(ls.path)) for ls in lessons]
        self._read = {Path(ls.path): ls for ls in lessons}
        self._unchecked = {id(pg): (ls.path, i, pg) for ls in lessons
                           for i, pg in enumerate(ls.pages)}

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

    def snapshot(self) -> Snapshot:
        """The view model of now: the session, the option state and the lesson."""
        lesson = None
        if self.lesson is not None:
            page = self.lesson.pages[self.page_index]
            lesson = LessonState(self.lesson.slug, self.lesson.title, self.page_index,
                                 len(self.lesson.pages), page, panel_for_focus(page.focus),
                                 self.verdict, self.lesson_note, self.lesson_number,
                                 self.lesson_stop)
        return replace(snapshot(self.session), option_state=option_state(self.options),
                       lesson=lesson, keymap=self.keys.keymap)

    # -- the one place that acts --------------------------------------------------------------
    def apply(self, intent: Intent) -> Snapshot:
        """Do what ``intent`` asks and return the next snapshot.

        Bad input raises ValueError (one line) and leaves everything as it was. So does a step,
        back or forward with nothing to do: it is no move, whichever front's gesture asked, so
        it keeps what was shown (a lesson's stop included)."""
        if not self._has_effect(intent):
            return self.snapshot()
        shown = self.lesson_note, self.lesson_stop
        self.lesson_note = self.lesson_stop = ""
        try:
            self._apply(intent)
        except ValueError:  # refused (e.g. no thread B here): the lesson's stop stays shown
            self.lesson_note, self.lesson_stop = shown
            raise
        return self.snapshot()

    def _has_effect(self, intent: Intent) -> bool:
        s = self.session
        if intent is it.Command.STEP_AUTO:
            return s.cursor < s.length or bool(s.runnable())
        if intent is it.Command.BACK:
            return s.cursor > 0
        if intent is it.Command.FORWARD:
            return s.cursor < s.length
        return True

    def _apply(self, intent: Intent) -> None:
        match intent:
            case it.Command():
                self._command(intent)
            case it.Step(letter):
                self.step(letter)
            case it.StepOver(letter):
                self.step_over(letter)
            case it.Finish(letter):
                self.finish(letter or self._finish_letter())
            case it.Jump(n):
                self.jump(n)
            case it.Goto(n):
                self.goto(n)
            case it.LoadSchedule(text):
                self.load_schedule(text.strip())
            case it.ToggleOption(name):
                on = [o.name for o in option_state(self.options) if o.on]
                self.select_options([n for n in on if n != name] if name in on
                                    else [*on, name])
            case it.SetOptions(specs):
                self.select_options(specs)
            case it.SetFaultCount(name, n):
                self.set_fault_count(name, n)
            case it.PickScenario(name):
                self.last_dropped = self.switch_scenario(name)
                self.leave_lesson()
            case it.PickKernel(kernel):
                self.set_kernel(kernel)
                self.leave_lesson()
            case it.LoadCustom(ids, key):
                self.load_custom(ids, key)
            case it.OpenLesson(slug, page):
                self.open_lesson(slug, page)
            case it.GotoPage(index):
                self.goto_page(index)
            case it.Answer(index):
                self.answer(index)
            case it.StartChallenge(name):
                self.start_challenge(name)
            case _:
                assert_never(intent)

    def _command(self, command: it.Command) -> None:
        match command:
            case it.Command.STEP_AUTO:
                self.step_auto()
            case it.Command.RUN_TO_END:
                self.run_to_end()
            case it.Command.BACK:
                self.back()
            case it.Command.FORWARD:
                self.forward()
            case it.Command.JUMP_END:
                self.jump_end()
            case it.Command.RESET:
                self.reset()
            case it.Command.EXPLORE:
                self.last_explore = self.explore()
            case it.Command.PREV:
                if self.lesson is not None:
                    self.prev_page()
                else:
                    self.back()
            case it.Command.NEXT:
                if self.lesson is not None:
                    self.next_page()
                else:
                    self.forward()
            case it.Command.LEAVE_LESSON:
                self.leave_lesson()
            case it.Command.GIVE_UP:
                self.last_give_up = self.give_up()
            case it.Command.STOP_CHALLENGE:
                self.stop_challenge()
            case _:
                assert_never(command)

    def _finish_letter(self) -> str:
        """The thread stepped last if it can run, else the first runnable one."""
        run = self.session.runnable()
        if self.last_letter in run:
            return self.last_letter
        if not run:
            raise InputError("no thread can run: every thread has ended or is blocked")
        return run[0]

    # -- lessons ------------------------------------------------------------------------------
    def open_lesson(self, slug: str, page: int = 0) -> None:
        """Start lesson ``slug`` at ``page`` (unknown slug: ValueError, nothing changes)."""
        entries = {e.slug: e for e in self._lesson_entries()}
        if slug not in entries:
            raise InputError(f"lesson {slug!r}: no such lesson (lessons: "
                             f"{', '.join(entries) or 'none'})")
        lesson = self._lesson(entries[slug])
        before = self.lesson, self.page_index, self.verdict
        self.lesson, self.page_index = lesson, -1
        try:
            self.goto_page(page)
        except ValueError:
            self.lesson, self.page_index, self.verdict = before
            raise

    def goto_page(self, index: int) -> None:
        """Open page ``index`` (clamped) of the current lesson: places the model there; a page
        whose prediction was answered before opens at its reveal, the locked answer graded."""
        if self.lesson is None:
            return
        index = max(0, min(index, len(self.lesson.pages) - 1))
        if index == self.page_index:
            return
        page = self.lesson.pages[index]
        self.open_page(page)
        self.page_index = index
        self.verdict = None
        self._held = None
        pick = self.locked_pick(index)
        if pick is not None and page.predict is not None and pick in page.predict.choices:
            self._reveal(page.predict.choices.index(pick))

    # -- predict, then see ----------------------------------------------------------------------
    @property
    def answers(self) -> AnswerStore:
        """The learner's locked answers (read from the XDG state directory on first use)."""
        if self._answers is None:
            from explorer.views.lesson_answers import AnswerStore

            self._answers = AnswerStore()
        return self._answers

    @property
    def lesson_number(self) -> int:
        """The open lesson's place in the list (1-based; 0: none open)."""
        if self.lesson is None:
            return 0
        slugs = [e.slug for e in self._lesson_entries()]
        return slugs.index(self.lesson.slug) + 1 if self.lesson.slug in slugs else 0

    def locked_pick(self, index: int) -> str | None:
        """The locked answer of page ``index`` of the open lesson (None: open, or no question)."""
        if self.lesson is None:
            return None
        pr = self.lesson.pages[index].predict
        if pr is None:
            return None
        return self.answers.get(self.lesson.slug, index, pr.question)

    def where_to_start(self) -> LessonView | None:
        """Where a learner starts: lesson 1 for a newcomer; for a returning learner, the first
        lesson with a question still open (lesson 1 again once every one is answered). Only the
        lessons up to that one are read."""
        entries = self._lesson_entries()
        if not entries:
            return None
        if self.answers.answers:
            for e in entries:
                ls = self._lesson(e)
                if any(p.predict is not None and self.answers.get(ls.slug, k, p.predict.question)
                       is None for k, p in enumerate(ls.pages)):
                    return ls
        return self._lesson(entries[0])

    def next_page(self) -> None:
        """The next page; it stops once on an open question (predict first) and once on the
        last page (offering the next lesson, which asking again opens). Why it stopped is
        :attr:`lesson_note`."""
        if self.lesson is None:
            return
        slug, k = self.lesson.slug, self.page_index
        page = self.lesson.pages[k]
        if page.predict is not None and self.locked_pick(k) is None and \
                self._held not in ((slug, k, "ask"), (slug, k, "end")):  # past it once: on
            self._held = (slug, k, "ask")
            self.lesson_stop = "ask"
            keys = self.keys
            self.lesson_note = (f"predict first: press {keys.answers(len(page.predict.choices))} "
                                f"(or click a choice); {keys.one('next')} again goes on without "
                                "answering")
            return
        if k + 1 < len(self.lesson.pages):
            self.goto_page(k + 1)
            return
        entries = self._lesson_entries()
        slugs = [e.slug for e in entries]
        nxt = self._lesson(entries[slugs.index(slug) + 1]) if slug in slugs[:-1] else None
        if nxt is None or self._held != (slug, k, "end"):
            self._held = (slug, k, "end")
            self.lesson_stop = "end" if nxt is not None else "last"
            keys = self.keys
            free = f"{keys.one('dismiss')} frees the explorer"
            self.lesson_note = (
                f"end of this lesson: {keys.one('next')} opens lesson "
                f"{slugs.index(nxt.slug) + 1}: {nxt.title}; {free}" if nxt is not None else
                f"that was the last lesson: {keys.one('pick_lesson')} lists them all; {free}")
            return
        self.open_lesson(nxt.slug)

    def prev_page(self) -> None:
        """The previous page (on the first one, :attr:`lesson_note` says how to leave)."""
        if self.lesson is None:
            return
        if self.page_index == 0:
            self.lesson_stop = "first"
            self.lesson_note = (f"first page of this lesson: {self.keys.one('dismiss')} frees the "
                                f"explorer; {self.keys.one('pick_lesson')} lists lessons")
            return
        self.goto_page(self.page_index - 1)

    def _reveal(self, index: int) -> None:
        """Step the model to the page's reveal state (:meth:`open_reveal`: the screen proves the
        answer) and grade pick ``index`` there: the reveal is replayed once, and the model's
        answer read from the state it shows. A bad page: ValueError, nothing changes."""
        from explorer.sim.lessons import answer_at

        assert self.lesson is not None
        page = self.lesson.pages[self.page_index]
        pr = page.predict
        assert pr is not None
        self.open_reveal(page)
        pick, truth = pr.choices[index], answer_at(page, self.session.state)
        self.verdict = AnswerVerdict(index, pick, truth, grade(pick, truth), pr.explain,
                                     self.session.cursor)

    def leave_lesson(self) -> None:
        """Close the lesson (the model stays where it is)."""
        self.lesson, self.page_index, self.verdict = None, 0, None

    def answer(self, index: int) -> AnswerVerdict | None:
        """Lock choice ``index`` as the answer to the current page's prediction, then reveal:
        the model steps to the state that answers it and the verdict (with the explanation) is
        given. A question is answered once; the pick is kept (:attr:`answers`). None: nothing
        was answered (:attr:`lesson_note` says why)."""
        if self.lesson is None:
            return None
        k = self.page_index
        page = self.lesson.pages[k]
        pr = page.predict
        if pr is None:
            self.lesson_stop = "asks_nothing"
            self.lesson_note = f"this page asks nothing: {self.keys.one('next')} turns the page"
            return None
        if not 0 <= index < len(pr.choices):
            self.lesson_stop = "no_choice"
            self.lesson_note = (f"no choice {index + 1}: this question has {len(pr.choices)} "
                                f"(keys {self.keys.answers(len(pr.choices))})")
            return None
        locked = self.locked_pick(k)
        if locked is not None:
            self.lesson_stop = "locked"
            self.lesson_note = f"your answer is locked: {locked} (one answer a question)"
            return None
        self._reveal(index)  # cannot answer: ValueError, no lock, nothing changes
        self.answers.lock(self.lesson.slug, k, pr.question, pr.choices[index])
        return self.verdict

    @classmethod
    def grade_page(cls, page: Page, pick: str, index: int = -1) -> AnswerVerdict:
        """The model's verdict on ``pick`` (choice ``index``) for ``page``'s prediction: the one
        grading rule of every front (:func:`grade`)."""
        pr = page.predict
        if pr is None:
            raise InputError(f"page {page.title!r} asks nothing")
        truth = cls.page_answer(page)
        return AnswerVerdict(index, pick, truth, grade(pick, truth), pr.explain)

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
             kernel: str | None = None, *, complete: bool = False) -> None:
        """Open ``scenario`` (in ``kernel``'s version; None: its default) with these what-ifs and
        faults, replaying ``schedule`` (``complete``: then the first runnable thread, in thread
        order, steps until none can).

        Raises ValueError (one line) and leaves everything as it was on bad input."""
        sc = modern.load(scenario, kernel)
        opts = parse_options(variants, sc.default_faults if faults is None else faults)
        sess = self.session
        if not (sc is sess.scenario and opts == sess.options and sess.length == 0
                and not schedule and not complete):  # else: this start, untouched (lesson 1)
            sess = Session(sc, opts)
            if schedule or complete:
                sess.load_schedule(schedule, complete=complete)
        self._open(sc, sess)

    def switch_scenario(self, scenario: str, kernel: str | None = None) -> list[str]:
        """Open ``scenario`` at step 0 keeping the what-ifs and faults you chose that apply to
        it; returns those dropped because they do not (``no_sort``, ``krealloc_fails:2``).
        A scenario's own default faults (``enomem``'s) are its, not a choice: they are neither
        carried nor reported.

        Raises ValueError (one line) and leaves everything as it was on bad input."""
        sc = modern.load(scenario, kernel)
        old = self.session.options
        own = parse_options((), self._scenario.default_faults).faults
        labels = {f: (f if n <= 1 else f"{f}:{n}") for f, n in old.faults}
        keep_v = [v for v in old.variants if v in sc.variants]
        mine = [(f, n) for f, n in old.faults if (f, n) not in own]
        keep_f = [labels[f] for f, _ in mine if f in sc.faults]
        dropped = [v for v in old.variants if v not in sc.variants]
        dropped += [labels[f] for f, _ in mine if f not in sc.faults]
        kept = {f.partition(":")[0] for f in keep_f}
        faults = [*(f for f in sc.default_faults if f.partition(":")[0] not in kept), *keep_f]
        self.load(scenario, keep_v, faults, "", kernel)
        return dropped

    def load_custom(self, ids: str, key: str = "", prog_type: str = "STRUCT_OPS") -> None:
        """Register your own IDs (text, as typed) as a built-in set and open that scenario.

        Raises ValueError (one line) and keeps everything as it was on bad input."""
        from explorer.sim.custom import custom_scenario

        sc = custom_scenario(parse_ids(ids, "my cell"), parse_key(key), prog_type)
        self._open(sc, Session(sc, parse_options((), ())))

    def _open(self, sc: Scenario, session: Session) -> None:
        """Show ``session`` of scenario ``sc`` from now on: no challenge is being played, no
        thread was stepped last and no exploration result stands for it."""
        self._scenario, self.session = sc, session
        self.play = None
        self.last_letter = ""
        self.last_explore = None

    def select_options(self, specs: list[str] | tuple[str, ...]) -> None:
        """Exactly these what-ifs and faults on (:func:`select_options`: a bare fault already
        on keeps its count), keeping the schedule where it still replays (else restart)."""
        self._switch(select_options(self.options, specs))

    def set_fault_count(self, name: str, n: int) -> None:
        """Fault ``name`` on, failing its ``n``-th allocation (the rest as they are)."""
        on = [*self.options.variants, *(f for f, _ in self.options.faults if f != name)]
        self.select_options([*on, f"{name}:{n}" if n > 1 else name])

    def _switch(self, opts: Options) -> None:
        self.last_explore = None
        sched = self.session.schedule
        sess = Session(self._scenario, opts)
        try:
            sess.load_schedule(sched)
        except InputError:
            sess = Session(self._scenario, opts)
        self.session = sess

    def open_page(self, page: Page) -> None:
        """Place the model where lesson page ``page`` starts (a page of :meth:`lessons` is
        checked against the model the first time; a failed check is a ValueError)."""
        hit = self._unchecked.get(id(page))
        if hit is not None and hit[2] is page:
            from explorer.sim.lessons import check_page

            check_page(page, hit[0], hit[1])
            del self._unchecked[id(page)]
        self.load(page.scenario, page.variants, page.faults, page.schedule, page.kernel or None)

    def open_reveal(self, page: Page) -> None:
        """Place the model where the page's prediction is answered (its schedule, then the
        prediction's ``then``, run to the end for a thread's result): the screen proves the
        answer, and stepping back shows how it came to be."""
        from explorer.sim.lessons import reveal_schedule

        schedule, complete = reveal_schedule(page)
        self.load(page.scenario, page.variants, page.faults, schedule, page.kernel or None,
                  complete=complete)

    @staticmethod
    def page_answer(page: Page) -> str:
        from explorer.sim.lessons import answer

        return answer(page)

    @staticmethod
    def grade(pick: str, truth: str) -> bool:
        """Whether a learner's choice is the model's answer (:func:`grade`)."""
        return grade(pick, truth)

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
        self.session.step(up := self._letter(letter))
        self.last_letter = up

    def step_over(self, letter: str) -> None:
        self.session.step_over(up := self._letter(letter))
        self.last_letter = up

    def finish(self, letter: str) -> None:
        self.session.finish(up := self._letter(letter))
        self.last_letter = up

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

    def goto(self, n: int) -> None:
        """Step ``n``: along the recorded history, then onward by the first runnable thread
        (at most ``n`` steps, so this always ends)."""
        if n <= self.session.length:
            self.session.jump(max(0, n))
            return
        self.session.jump(self.session.length)
        for _ in range(n - self.session.cursor):
            if self.session.step_auto() is None:
                break

    def load_schedule(self, text: str) -> None:
        """Replay a pasted schedule from the start (nothing changes if it is bad)."""
        self.session.load_schedule(text)

    # -- exploration ---------------------------------------------------------------------
    def explore(self, progress: Callable[[int, int], None] | None = None,
                cancel: Callable[[], bool] | None = None,
                keep_graph: bool = False) -> ExploreView:
        """Every interleaving. With a progress store (the fronts pass one; starting a challenge
        opens one), witnesses that would win a challenge not tried yet are withheld."""
        from explorer.sim.explore import explore

        return _explore_view(explore(self._scenario, self.session.options, progress=progress,
                                     cancel=cancel, keep_graph=keep_graph), self._progress)

    def state_schedule(self, ev: ExploreView, state: int) -> str:
        """A shortest schedule from the start to explored state ``state`` of ``ev`` (a node of
        the state graph), rebuilt from the search's parent pointers. InputError (one line) for
        a state the search did not reach, or one whose path would give an untried challenge
        away (as its witnesses are withheld)."""
        try:
            sched = ev.raw.schedule_to(state)
        except ValueError as e:
            raise InputError(str(e)) from None
        if self._progress is not None:
            from explorer.views.challenges import spoiler

            why = spoiler(self._progress, ev.scenario, ev.options, sched)
            if why:
                raise InputError(f"state s{state}: {why}")
        return sched

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
