"""Challenges as the fronts see them: catalogue, play (win detection, tries, steps), progress.

A :class:`ChallengePlay` watches a controller's session: after every move the front calls
:meth:`ChallengePlay.update`, which judges the timeline up to the cursor (won / lost / open, and
why) and counts a *try* each time a new timeline is decided. :class:`ProgressStore` keeps tries,
steps and wins in ``$XDG_STATE_HOME/kfunc-explorer/progress.json`` (default
``~/.local/state``); a file that cannot be read as progress is reported in one line and renamed
aside, never overwritten (:mod:`explorer.views.state_file` has the rules). :func:`spoiler` says
whether an explorer witness would give an untried challenge away.
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Any

from explorer.model.records import dataclass
from explorer.views.state_file import StateFile

if TYPE_CHECKING:
    from explorer.sim.challenges import Challenge, Verdict
    from explorer.sim.challenges import Challenge as ChallengeView
    from explorer.sim.session import Session

__all__ = [
    "ChallengePlay",
    "ChallengeState",
    "ChallengeView",
    "Progress",
    "ProgressStore",
    "Verdict",
    "challenge_views",
    "challenges_report",
    "check_report",
    "spoiler",
]

PROGRESS_VERSION = 1


def __getattr__(name: str) -> Any:
    """``ChallengeView`` and ``Verdict``, the sim's records, imported when first asked for: the
    TUI's first frame needs the progress store, not the catalogue nor its checker.

    A challenge as the fronts list it (``ChallengeView``) is the catalogue entry itself (name,
    title, scenario, ``goal_text``, ``options_label``, ``condition``, …): the view adds nothing
    to it."""
    if name in ("ChallengeView", "Verdict"):
        from explorer.sim import challenges

        return challenges.Challenge if name == "ChallengeView" else challenges.Verdict
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def challenge_views() -> list[ChallengeView]:
    from explorer.sim.challenges import builtin_challenges

    return list(builtin_challenges())


def challenges_report() -> dict[str, Any]:
    from explorer.sim.challenges import builtin_challenges

    return {"challenges": [
        {"name": c.name, "title": c.title, "scenario": c.scenario, "variants": list(c.variants),
         "faults": list(c.faults), "goal": c.goal_text, "condition": c.condition,
         "not_the_kernel": c.not_kernel}
        for c in builtin_challenges()]}


def check_report(name: str, schedule: str) -> dict[str, Any]:
    """Does ``schedule`` win challenge ``name``? (InputError on an unknown name/bad schedule.)"""
    from explorer.sim.challenges import check_schedule, get_challenge

    c = get_challenge(name)
    v = check_schedule(c, schedule)
    return {"challenge": c.name, "scenario": c.scenario,
            "variant": c.options_label, "schedule": schedule,
            "won": v.won, "why": v.why, "steps": v.steps, "ran": v.schedule}


# -- progress ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Progress:
    """One challenge's record."""

    tries: int = 0
    won: bool = False
    gave_up: bool = False
    steps: int = 0
    """Steps taken over all tries."""
    best_steps: int | None = None
    best_schedule: str = ""

    @property
    def tried(self) -> bool:
        return self.tries > 0 or self.gave_up

    @property
    def status(self) -> str:
        if self.won:
            return f"won in {self.best_steps} steps" + (f" ({self.tries} tries)"
                                                       if self.tries > 1 else "")
        if self.gave_up:
            return "gave up"
        return f"{self.tries} tries" if self.tries else "new"


class ProgressStore(StateFile[Progress]):
    """Tries, steps and wins, kept as JSON in the XDG state directory (a :class:`StateFile`:
    an unusable file is moved aside, and ``warning`` says in one line what went wrong)."""

    NAME, WHAT, VERSION, TABLE = "progress.json", "progress", PROGRESS_VERSION, "challenges"

    def _entry(self, key: str, e: dict[str, Any]) -> Progress:
        best = e.get("best_steps")
        vals = (e.get("tries", 0), e.get("steps", 0))
        if not all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in vals) or \
                not (best is None or (isinstance(best, int) and best >= 0)) or \
                not isinstance(e.get("won", False), bool) or \
                not isinstance(e.get("gave_up", False), bool) or \
                not isinstance(e.get("best_schedule", ""), str):
            raise ValueError(f"entry {key!r} has a bad field")
        return Progress(int(vals[0]), bool(e.get("won", False)), bool(e.get("gave_up", False)),
                        int(vals[1]), best, str(e.get("best_schedule", "")))

    def get(self, name: str) -> Progress:
        return self.entries.get(name) or Progress()

    def record(self, name: str, v: Verdict) -> Progress:
        p = self.entries.setdefault(name, Progress())
        p.tries += 1
        p.steps += v.steps
        if v.won:
            p.won = True
            if p.best_steps is None or v.steps < p.best_steps:
                p.best_steps, p.best_schedule = v.steps, v.schedule
        self.save()
        return p

    def give_up(self, name: str) -> Progress:
        p = self.entries.setdefault(name, Progress())
        p.gave_up = True
        self.save()
        return p

    def reset(self, name: str) -> None:
        self.entries.pop(name, None)
        self.save()


def spoiler(store: ProgressStore, scenario: str, options: str, witness: str) -> str:
    """'' or why an explorer witness stays hidden: replayed (then run in thread order), it would
    win a challenge of this scenario and options that the learner has not tried yet."""
    from explorer.sim.challenges import builtin_challenges, check_schedule

    for c in builtin_challenges():
        if c.scenario != scenario or c.options_label != options or store.get(c.name).tried:
            continue
        if check_schedule(c, witness).won:
            return f"hidden: it solves challenge {c.name!r}; try it (or give up) first"
    return ""


# -- playing -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChallengeState:
    """What a front shows while a challenge is played: the challenge itself (title, goal,
    what-ifs, hint, explanation), the verdict, the counts."""

    challenge: Challenge
    status: str
    """``open``, ``won`` or ``lost``."""
    why: str
    steps: int
    """Steps of the timeline judged (for a win: the step at which the goal held)."""
    tries: int
    best_steps: int | None
    just_decided: bool
    """True on the update that decided a new try: the front announces it once."""

    @property
    def summary(self) -> str:
        """One line: try count, verdict and reason."""
        head = {"won": "WON", "lost": "lost", "open": "playing"}[self.status]
        best = f", best {self.best_steps} steps" if self.best_steps is not None else ""
        return f"{head} ({self.tries} tr{'y' if self.tries == 1 else 'ies'}{best}): {self.why}"




@dataclass(slots=True)
class ChallengePlay:
    """One challenge being played on a session."""

    challenge: Challenge
    store: ProgressStore
    verdict: Verdict | None = None
    hint_shown: bool = False
    _recorded: set[str] = field(default_factory=set)

    @property
    def progress(self) -> Progress:
        return self.store.get(self.challenge.name)

    def update(self, sess: Session) -> tuple[Verdict, bool]:
        """Judge the session up to its cursor; True when this call decided a new try."""
        from explorer.sim.challenges import judge

        v = judge(self.challenge, sess.states[: sess.cursor + 1], sess.records[: sess.cursor])
        self.verdict = v
        if not v.decided or v.schedule in self._recorded:
            return v, False
        self._recorded.add(v.schedule)
        self.store.record(self.challenge.name, v)
        return v, True

    def state(self, just_decided: bool = False) -> ChallengeState:
        c, v, p = self.challenge, self.verdict, self.progress
        status = "open" if v is None or not v.decided else "won" if v.won else "lost"
        return ChallengeState(c, status,
                              v.why if v is not None else "", v.steps if v is not None else 0,
                              p.tries, p.best_steps, just_decided)

    def give_up(self) -> str:
        """Mark it given up and return a shortest winning schedule to study."""
        from explorer.sim.challenges import solve

        self.store.give_up(self.challenge.name)
        sol = solve(self.challenge)
        return sol.schedule if sol else ""


def open_challenge(name: str, store: ProgressStore) -> ChallengePlay:
    from explorer.sim.challenges import get_challenge

    return ChallengePlay(get_challenge(name), store)
