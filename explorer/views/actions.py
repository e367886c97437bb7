"""The ACTIONS table: every action a person can take, read by every front.

One row per action: a stable ``id`` (the TUI's binding id, which a user keymap rebinds), the
default key (Textual's key names, comma-separated), a description, the TUI action it runs and,
where it changes the model, the :mod:`~explorer.views.intents` value it applies (``None`` for what
only a front does: open a prompt or a picker, switch a panel, take a screenshot). The TUI builds
its bindings, its help screen and its command palette from this table; the notebook builds its
stepping buttons from the rows with a ``button`` label.

Thread keys are not fixed: :func:`thread_actions` makes them from a scenario's threads (lower
case steps, upper case steps over), so a thread ``W`` gets ``w``/``W``. A thread key wins over a
fixed action on the same key while that thread exists (:func:`shadowed`).
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from typing import Protocol

from explorer.model.records import dataclass
from explorer.views.intents import Answer, Command, Finish, Intent, Jump, Step, StepOver


class ThreadKey(Protocol):
    """A scenario's thread as its keys need it (:class:`explorer.views.snapshot.ThreadKey`; a
    protocol here, so the snapshot can name keys through this module without a circle)."""

    @property
    def letter(self) -> str: ...

    @property
    def name(self) -> str: ...

KEY_NAMES = {
    "question_mark": "?", "full_stop": ".", "comma": ",", "left_square_bracket": "[",
    "right_square_bracket": "]", "plus": "+", "minus": "-", "left": "←", "right": "→",
    "up": "↑", "down": "↓", "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End",
    "escape": "Esc", "enter": "Enter", "space": "Space", "tab": "Tab", "slash": "/",
    "semicolon": ";", "colon": ":", "exclamation_mark": "!", "number_sign": "#",
    "asterisk": "*", "equals_sign": "=", "underscore": "_", "less_than_sign": "<",
    "greater_than_sign": ">", "apostrophe": "'", "quotation_mark": '"', "backslash": "\\",
}
"""Textual's key names → the key as people write it."""


def human_key(key: str) -> str:
    """One Textual key as people write it: ``question_mark`` → ``?``, ``ctrl+k`` → ``Ctrl+K``,
    ``f1`` → ``F1``; a letter stays as it is (``w``, ``W``)."""
    *mods, base = key.strip().split("+")
    if base in KEY_NAMES:
        name = KEY_NAMES[base]
    elif len(base) > 1 and base[0] == "f" and base[1:].isdigit():
        name = base.upper()
    elif len(base) == 1:
        name = base.upper() if mods else base
    else:
        name = base.replace("_", " ")
    return "+".join([*(m.capitalize() for m in mods), name])


def human_keys(keys: str) -> str:
    """Comma-separated Textual keys as people write them: ``left,pageup`` → ``← / PgUp``."""
    return " / ".join(human_key(k) for k in keys.split(",") if k.strip())


@dataclass(frozen=True, slots=True)
class Action:
    """One row of the ACTIONS table."""

    id: str
    key: str
    """Default key(s), Textual names, comma-separated (``comma``, ``left,pageup``)."""
    description: str
    action: str
    """The TUI action the key runs (``finish``, ``step('L')``, ``panel(-1)``)."""
    intent: Intent | None = None
    """What it does to the model; None: a front-only action (prompt, picker, panel…)."""
    group: str = "open"
    """The help's section: ``step``, ``time``, ``open``, ``lesson``, ``view`` or ``app``."""
    footer: str = ""
    """The TUI footer's label ('' = not in the footer)."""
    button: str = ""
    """The notebook's button label ('' = no button)."""
    icon: str = ""
    """The notebook button's icon, a FontAwesome name (``fast-backward``): JupyterLab ships
    FontAwesome, while glyphs such as ⏮ and ⏭ are missing from many fonts ('' = none)."""
    app_wide: bool = False
    """Bound on the TUI's app (works over every screen), not on the explorer screen."""
    priority: bool = False
    """The key wins over a focused widget's (the lesson narration would take ←/→, Home/End)."""
    palette: bool = True
    """Listed in the TUI's command palette."""

    @property
    def key_name(self) -> str:
        """The default key as people write it (``?``, ``.``, ``[``, ``← / PgUp``)."""
        return human_keys(self.key)

    def bound_keys(self, keymap: Mapping[str, str] | None = None) -> str:
        """The key(s) it is bound to after a user's ``keymap`` (the default where the keymap
        does not rebind it): Textual names, comma-separated."""
        return (keymap or {}).get(self.id, self.key)

    def key_set(self, keymap: Mapping[str, str] | None = None) -> frozenset[str]:
        """:meth:`bound_keys`, one by one."""
        return frozenset(k.strip() for k in self.bound_keys(keymap).split(","))


ACTIONS: tuple[Action, ...] = (
    Action("finish", "f", "finish the function of the thread stepped last", "finish",
           Finish(), "step"),
    Action("run_to_end", "r", "run to the end (the default schedule)", "run_to_end",
           Command.RUN_TO_END, "step", button="end", icon="fast-forward"),
    Action("step_auto", "n", "one step: the recorded future, else the first runnable thread",
           "step_auto", Command.STEP_AUTO, "step", button="step ▶"),
    Action("prev", "left,pageup", "back one step (in a lesson: previous page)", "left",
           Command.PREV, "time", priority=True, palette=False),
    Action("next", "right,pagedown", "forward one step (in a lesson: next page)", "right",
           Command.NEXT, "time", priority=True, palette=False),
    Action("back", "comma", "back one step", "back", Command.BACK, "time", button="◀ back"),
    Action("forward", "full_stop", "forward one step (replays what was undone)", "forward",
           Command.FORWARD, "time"),
    Action("jump_start", "home", "jump to step 0", "jump_start", Jump(0), "time",
           button="start", icon="fast-backward", priority=True),
    Action("jump_end", "end", "jump to the end of the history", "jump_end", Command.JUMP_END,
           "time", priority=True),
    Action("jump_prompt", "g", "jump to step N", "jump_prompt", group="time"),
    Action("copy_schedule", "y", "copy the schedule", "copy_schedule", group="time"),
    Action("paste_schedule", "p", "paste a schedule and replay it", "paste_schedule",
           group="time"),
    Action("explore", "x", "explore every interleaving", "explore", footer="explore"),
    Action("whatif", "w", "what-ifs (NOT the kernel) and faults", "whatif", footer="what-if"),
    Action("challenges", "c", "challenges: reach a goal by scheduling", "challenges",
           footer="challenges"),
    Action("hint", "h", "the hint of the challenge being played", "hint"),
    Action("give_up", "u", "give up the challenge being played: load a shortest win at step 0",
           "give_up", Command.GIVE_UP),
    Action("sort_lab", "i", "sort your own IDs (lib/sort.c, lib/bsearch.c)", "sort_lab"),
    Action("pick_scenario", "s", "choose a scenario", "pick_scenario", footer="scenario"),
    Action("pick_lesson", "t", "choose a lesson", "pick_lesson", footer="lessons"),
    Action("pick_kernel", "ctrl+k", "choose the kernel version of this scenario",
           "pick_kernel"),
    Action("versions", "ctrl+t", "the same table, years later (5.16, 5.18, 6.17 side by side)",
           "versions"),
    *(Action(f"answer_{k}", str(k), f"answer {k} to the page's question", f"answer({k - 1})",
             Answer(k - 1), "lesson", palette=False) for k in range(1, 5)),
    Action("dismiss", "escape", "dismiss the error / stop autoplay / leave the lesson",
           "dismiss_error", group="lesson", palette=False),
    Action("autoplay", "a", "autoplay on/off", "autoplay", group="view"),
    Action("faster", "plus", "faster autoplay", "speed(1)", group="view"),
    Action("slower", "minus", "slower autoplay", "speed(-1)", group="view"),
    Action("panel_prev", "left_square_bracket", "previous panel tab", "panel(-1)",
           group="view"),
    Action("panel_next", "right_square_bracket", "next panel tab", "panel(1)", group="view"),
    Action("help", "question_mark,f1", "help: every key", "help", group="app", footer="help"),
    Action("presenter", "f5", "presenter mode (large, high contrast)", "toggle_presenter",
           group="app", app_wide=True),
    Action("save_svg", "f9", "save an SVG screenshot", "save_svg", group="app", app_wide=True),
    Action("quit", "q", "quit (asks first)", "ask_quit", group="app", footer="quit",
           app_wide=True),
)
"""Every fixed action; thread keys come from :func:`thread_actions`."""

ACTION_BY_ID: dict[str, Action] = {a.id: a for a in ACTIONS}

GROUP_TITLES = {"step": "stepping", "time": "time travel", "open": "open / switch",
                "lesson": "lessons", "view": "view and autoplay", "app": "app"}
"""The help's sections, in order."""

THREAD_LETTERS = string.ascii_uppercase
"""Every letter a scenario may give a thread."""


def thread_action(letter: str, name: str = "", over: bool = False) -> Action:
    """The step (or step-over) action of thread ``letter``: ids ``step_W``/``step_over_W``."""
    who = f"{letter} ({name})" if name else letter
    if over:
        return Action(f"step_over_{letter}", letter.upper(),
                      f"step {who} over the call on its line", f"step_over('{letter}')",
                      StepOver(letter), "step", palette=False)
    return Action(f"step_{letter}", letter.lower(), f"step {who}", f"step('{letter}')",
                  Step(letter), "step", footer=f"step {letter}", palette=False)


def thread_actions(threads: Iterable[ThreadKey]) -> tuple[Action, ...]:
    """The step and step-over actions of a scenario's threads (steps first)."""
    ts = list(threads)
    return (*(thread_action(t.letter, t.name) for t in ts),
            *(thread_action(t.letter, t.name, over=True) for t in ts))


def all_thread_actions() -> tuple[Action, ...]:
    """Step and step-over actions of every letter (a front binds them all once and hides the
    letters its scenario lacks)."""
    return (*(thread_action(c) for c in THREAD_LETTERS),
            *(thread_action(c, over=True) for c in THREAD_LETTERS))


def thread_ids() -> frozenset[str]:
    """The ids of every thread action (``step_A`` … ``step_over_Z``)."""
    return frozenset(a.id for a in all_thread_actions())


def shadowed(threads: Iterable[ThreadKey],
             keymap: Mapping[str, str] | None = None) -> frozenset[str]:
    """Ids of fixed actions whose every key is a step key of one of ``threads`` (with the user's
    ``keymap``): the thread wins, so the action is reachable only from the palette then."""
    taken: set[str] = set()
    for t in threads:
        for a in (thread_action(t.letter), thread_action(t.letter, over=True)):
            taken |= a.key_set(keymap)
    return frozenset(a.id for a in ACTIONS if a.key_set(keymap) <= taken)


@dataclass(frozen=True, slots=True)
class Keys:
    """How a front names its keys in the text it shows (a lesson's notes, a hint, a prompt):
    the ACTIONS table after the user's ``keymap``, so a learner who rebinds ``next`` reads their
    own key, never the default. The one source of every key a text names."""

    keymap: tuple[tuple[str, str], ...] = ()
    """The user's rebindings: (action id, Textual keys, comma-separated), sorted."""

    @classmethod
    def of_keymap(cls, keymap: Mapping[str, str] | None) -> Keys:
        """The names of ``keymap``'s keys (None or empty: the defaults)."""
        return cls(tuple(sorted((keymap or {}).items())))

    def bound(self, action_id: str) -> list[str]:
        """The Textual keys ``action_id`` is bound to, in order."""
        a = ACTION_BY_ID.get(action_id)
        keys = dict(self.keymap).get(action_id, a.key if a is not None else "")
        return [k.strip() for k in keys.split(",") if k.strip()]

    def one(self, action_id: str) -> str:
        """The first key of ``action_id`` as people write it (``next`` → ``→``)."""
        keys = self.bound(action_id)
        return human_key(keys[0]) if keys else action_id

    def all(self, action_id: str) -> str:
        """Every key of ``action_id`` as people write it (``prev`` → ``← / PgUp``)."""
        return human_keys(",".join(self.bound(action_id)))

    def answers(self, n: int) -> str:
        """The keys that answer choices 1..``n`` (``1–4``; ``a/s/d`` once rebound)."""
        keys = [self.one(f"answer_{k}") for k in range(1, n + 1)]
        if keys == [str(k) for k in range(1, n + 1)]:
            return f"1–{n}" if n > 1 else "1"
        return "/".join(keys)


DEFAULT_KEYS = Keys()
"""The default keys' names."""


BUTTON_ORDER = ("jump_start", "back", "step_auto", "run_to_end")
"""The notebook's stepping buttons, left to right."""


def buttons() -> tuple[Action, ...]:
    """The notebook's stepping buttons, in :data:`BUTTON_ORDER`."""
    return tuple(ACTION_BY_ID[i] for i in BUTTON_ORDER)


__all__ = ["ACTIONS", "ACTION_BY_ID", "BUTTON_ORDER", "DEFAULT_KEYS", "GROUP_TITLES",
           "THREAD_LETTERS", "Action", "Keys", "all_thread_actions", "buttons", "human_key",
           "human_keys", "shadowed", "thread_action", "thread_actions", "thread_ids"]
