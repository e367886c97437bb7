"""The explorer: you are the scheduler. Panels redraw from one Snapshot after every action."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import events, on
from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import Input, Tab, Tabs

from explorer.tui import messages, screens  # screens: each modal imported when first opened
from explorer.tui.autoplay import Autoplay
from explorer.tui.keymap import binding, bindings
from explorer.tui.lesson_flow import LessonFlow
from explorer.tui.screenshots import save_screenshot
from explorer.tui.widgets.array_panel import ArrayPanel
from explorer.tui.widgets.banner import Banner
from explorer.tui.widgets.error_bar import ErrorBar
from explorer.tui.widgets.footer import SteadyFooter
from explorer.tui.widgets.goal_bar import GoalBar
from explorer.tui.widgets.happened_bar import HappenedBar
from explorer.tui.widgets.lanes_panel import LanesPanel
from explorer.tui.widgets.lesson_panel import LessonPanel
from explorer.tui.widgets.modules_panel import ModulesPanel
from explorer.tui.widgets.panel import SnapshotPanel
from explorer.tui.widgets.race_strip import RaceStrip
from explorer.tui.widgets.status_bar import StatusBar
from explorer.tui.widgets.table_panel import TablePanel
from explorer.tui.widgets.trace_panel import TracePanel
from explorer.tui.widgets.window_strip import WindowStrip
from explorer.views import intents as i
from explorer.views.actions import (
    ACTION_BY_ID,
    ACTIONS,
    GROUP_TITLES,
    THREAD_LETTERS,
    Keys,
    human_keys,
    shadowed,
    thread_actions,
)
from explorer.views.controller import Controller, LessonView
from explorer.views.heap import SortLab
from explorer.views.intents import Intent
from explorer.views.snapshot import PANELS, Snapshot

PANEL_TITLES = {"lanes": "Threads", "table": "Table", "array": "Sort/bsearch",
                "modules": "Modules", "trace": "Trace"}
ROOMY_FROM = 40
"""From this many rows presenter mode spaces its panels out (below, every row is content)."""
WIDE_MIN = (120, 34)
"""From this size (columns, rows) every panel is shown at once; below it, panels are tabs."""
COLUMNS = {"col-left": ("table", "array-input", "array", "modules"),
           "col-right": ("lanes", "trace")}
"""The wide layout's two columns, top to bottom (narrow: the active panel of either)."""
PANEL_CLASSES: dict[str, type[SnapshotPanel]] = {
    "table": TablePanel, "array": ArrayPanel, "modules": ModulesPanel, "lanes": LanesPanel,
    "trace": TracePanel}


class MainScreen(Screen[None]):
    """Status, banner, lesson narration and the model panels; every key of the scheduler.

    The screen keeps the layout, the keys and their dispatch; the lesson flow
    (:mod:`explorer.tui.lesson_flow`), autoplay (:mod:`explorer.tui.autoplay`) and screenshots
    (:mod:`explorer.tui.screenshots`) live in their own modules."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding(a) for a in ACTIONS if not a.app_wide]
    """The fixed keys of the ACTIONS table; an instance binds its scenario's thread keys too,
    and the user's keymap (:meth:`_bind_keys`)."""

    AUTO_FOCUS = ""
    """Nothing has focus at start: every key reaches the scheduler's bindings (the sort panel's
    input, the tabs and the lesson's narration take it when used)."""

    wide: reactive[bool] = reactive(False)
    """All panels at once (large terminal) or one panel at a time behind tabs."""
    active_panel: reactive[str] = reactive("lanes", init=False)
    """The panel shown in narrow layout (its watcher runs on changes: the first value is laid
    out by compose and on_mount, after a lesson opened at start has picked its own)."""

    def __init__(self, controller: Controller, lesson: str | None = None,
                 screenshot_dir: Path = Path("screenshots"),
                 keymap: dict[str, str] | None = None, keymap_warning: str = "",
                 welcome: bool = False) -> None:
        super().__init__()
        self._welcome = welcome and lesson is None
        """Start a newcomer in lesson 1 (a returning learner where questions are still open)."""
        self.screenshot_dir = screenshot_dir
        """Where F9 saves SVG screenshots (the app's setting)."""
        self.controller = controller
        self._initial_lesson = lesson
        self.keymap: dict[str, str] = dict(keymap or {})
        """The user's rebindings (action id → Textual keys)."""
        controller.keys = Keys.of_keymap(self.keymap)  # text names the keys the user bound
        self._keymap_warning = keymap_warning
        self.snap: Snapshot = controller.snapshot()
        self._panels: dict[str, SnapshotPanel] = {}
        """The model panels made so far (each is made when first shown), by id."""
        self._made: set[str] = set()
        """Ids of the column widgets made so far (panels and the sort panel's input)."""
        self._bound_threads: tuple[str, ...] | None = None
        self._bind_keys()
        self.lesson_flow = LessonFlow(
            lambda panel: self.query_one("#body").mount(panel, before=0), controller)
        """The narration panel, in step with the controller's lesson."""
        self.player = Autoplay(self, self._autoplay_step, self._show_autoplay)
        self._play_to: int | None = None
        """Where autoplay stops: the end of the recorded schedule it started on (None: at the
        end of every thread)."""
        """Autoplay on a timer."""

    @property
    def lesson(self) -> LessonView | None:
        """The open lesson (None: free exploration)."""
        return self.controller.lesson

    @property
    def page_index(self) -> int:
        """The page shown of the open lesson."""
        return self.controller.page_index

    @property
    def autoplay(self) -> bool:
        """Is autoplay running?"""
        return self.player.on

    @autoplay.setter
    def autoplay(self, on: bool) -> None:
        self.player.set(on)

    # -- the command palette's requests (typed messages, no import of the palette) ----------
    @on(messages.RunIntent)
    def _palette_intent(self, m: messages.RunIntent) -> None:
        self.run(m.intent)

    @on(messages.RunAction)
    async def _palette_action(self, m: messages.RunAction) -> None:
        a = ACTION_BY_ID.get(m.action_id)
        if a is not None:
            await self.app.run_action(a.action, self.app if a.app_wide else self)

    # -- keys -----------------------------------------------------------------------------
    def _bind_keys(self) -> None:
        """The scenario's thread keys (a thread W gets w/W), then the fixed keys of the ACTIONS
        table, all after the user's keymap; a fixed key that a thread key takes is left to the
        palette while that thread exists."""
        threads = self.snap.threads
        letters = tuple(t.letter for t in threads)
        if letters == self._bound_threads:
            return
        hidden = shadowed(threads, self.keymap)
        self._bindings = bindings(
            [*thread_actions(threads),
             *(a for a in ACTIONS if not a.app_wide and a.id not in hidden)], self.keymap)
        self._bound_threads = letters

    def help_rows(self) -> list[tuple[str, str, str]]:
        """(section, keys as people write them, what it does): this scenario's thread keys and
        every fixed key, after the user's keymap."""
        hidden = shadowed(self.snap.threads, self.keymap)
        rows = []
        for a in (*thread_actions(self.snap.threads), *ACTIONS):
            keys = ("palette (its key steps a thread)" if a.id in hidden
                    else human_keys(a.bound_keys(self.keymap)))
            rows.append((GROUP_TITLES[a.group], keys, a.description))
        return rows

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """Banner and status on top, lesson beside (or above) the panels, footer."""
        # the layout for the terminal's size from the start (a switch after mount restyled
        # and laid out every widget again before the first frame)
        self.set_reactive(MainScreen.wide, self._fits_wide(self.app.size))
        self.set_class(self.wide, "-wide")
        self.set_class(not self.wide, "-narrow")
        self.set_class(self.app.size.height >= ROOMY_FROM, "-roomy")
        # Only what the first frame shows is made now: the other panels (narrow layout), the
        # tabs (wide), the lesson panel and the presenter's race strip when first shown. In
        # the narrow layout, a lesson opened at start picks the panel (and the tab) its page
        # looks at: they are made once it has opened (on_mount), not the default's first.
        later = self._opens_lesson and not self._wide_layout
        shown = set() if later else self._shown_in_columns()
        yield Banner(id="banner")
        yield StatusBar(id="status")
        yield HappenedBar(id="happened")
        yield GoalBar(id="goal", keys=self.controller.keys)
        with Container(id="body"):
            if self._opens_lesson:  # a lesson page is the first frame
                yield self.lesson_flow.new_panel()
            with Vertical(id="main"):
                if not self._wide_layout and not later:
                    yield self._make_tabs()
                yield WindowStrip(id="window-strip")
                with Horizontal(id="panels"):
                    for col, ids in COLUMNS.items():
                        with Vertical(id=col, classes="column"):
                            yield from (self._make(wid) for wid in ids if wid in shown)
        yield ErrorBar(id="error", dismiss_key=self.controller.keys.one("dismiss"))
        yield SteadyFooter(compact=True)

    @property
    def _opens_lesson(self) -> bool:
        """A lesson page is opened at start (named, or a newcomer's)."""
        return bool(self._initial_lesson or self._welcome)

    @property
    def _wide_layout(self) -> bool:
        """Every panel at once (a large terminal, not presenting)."""
        return self.wide and not self.presenting

    def _shown_in_columns(self) -> set[str]:
        """The column widgets the layout shows now."""
        if self._wide_layout:
            return {wid for ids in COLUMNS.values() for wid in ids}
        return {self.active_panel, *(("array-input",) if self.active_panel == "array" else ())}

    def _make(self, wid: str) -> Widget:
        """A new column widget: a model panel (showing the current snapshot) or the sort
        panel's input."""
        self._made.add(wid)
        if wid == "array-input":
            return Input(placeholder="your IDs to sort, e.g. 5 3 9 1 7 ; key 7 "
                         "(Enter: the sort lab)", id="array-input", compact=True)
        panel = self._panels[wid] = PANEL_CLASSES[wid](id=wid)
        panel.snapshot = self.snap
        return panel

    def _make_tabs(self) -> Tabs:
        return Tabs(*(Tab(PANEL_TITLES[p], id=f"tab-{p}") for p in PANELS), id="paneltabs",
                    active=f"tab-{self.active_panel}")

    def _tabs(self) -> Tabs | None:
        """The panel tabs, if made (they are made when the layout is first narrow)."""
        try:
            return self.query_one("#paneltabs", Tabs)
        except NoMatches:
            return None

    def panel(self, name: str) -> SnapshotPanel:
        """The model panel ``name`` (``table``, ``lanes``…), made now if it was never shown (it
        is then mounted hidden)."""
        if name not in self._panels:
            self._mount_shown({name})
            self._panels[name].display = name in self._shown_in_columns()
        return self._panels[name]

    def _mount_shown(self, shown: set[str]) -> None:
        """Make and mount the column widgets of ``shown`` not made yet, each in its place."""
        for col, ids in COLUMNS.items():
            column = self.query_one(f"#{col}")
            for k, wid in enumerate(ids):
                if wid in shown and wid not in self._made:
                    after = next((w for w in ids[k + 1:] if w in self._made), None)
                    self._mounting(column.mount(self._make(wid),
                                                before=f"#{after}" if after else None))

    _resumed = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """The first resume: no second styling pass over a screen that was just styled.

        Textual posts ``ScreenResume`` to every screen it installs, and its handler (which runs
        after this one: handlers go from subclass to base) restyles the whole screen when
        ``refresh_styles`` is set. For a screen coming back that is needed; here every widget
        was styled as it was mounted, moments ago, by the same stylesheet: widget CSS is scoped
        to its own widget, class changes restyle what they touch as they happen, and a theme
        change restyles every screen itself. Later resumes (after a modal) are Textual's."""
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    _first_mounts: list[AwaitMount] | None = None
    """What the layout mounts while the screen is being mounted (awaited before the first
    frame)."""

    def _mounting(self, mounted: AwaitMount) -> None:
        """Note ``mounted`` for :meth:`on_mount` to wait for, while it runs."""
        if self._first_mounts is not None:
            self._first_mounts.append(mounted)

    async def on_mount(self) -> None:
        """First draw. A lesson opened at start opens before the layout makes what it shows:
        the model panel (and tab) its page looks at, not the default's first. What the layout
        mounts here is composed before the first frame, as what compose yields is."""
        self._first_mounts = []
        if not self._opens_lesson:
            self._apply_layout()
        self.refresh_view()
        for warning in (self.controller.progress.warning, self.controller.answers.warning):
            if warning:  # an unusable progress or answers file, set aside (one line)
                self.show_error(warning)
        if self._keymap_warning:  # a bad keymap file: its good lines still apply
            self.show_error(self._keymap_warning)
        if self._initial_lesson:
            self.open_lesson(self._initial_lesson)
        elif self._welcome:
            self._start_learning()
        self._apply_layout()  # what is shown and not made yet (the lesson's panel made it)
        mounts, self._first_mounts = self._first_mounts, None
        for mounted in mounts:
            await mounted

    def _start_learning(self) -> None:
        """Open where learning starts (in the first frame: only the lesson opened is read, the
        others' top-level keys only, and only the page opened is checked against the model),
        and say how to leave for the free explorer."""
        c = self.controller
        try:
            start = c.where_to_start()
        except ValueError as e:  # a broken lesson file: the explorer, and the one-line error
            self.show_error(str(e))
            return
        if start is None or not self.open_lesson(start.slug):
            return
        k = c.keys
        self.show_why(f"Lesson {c.lesson_number} of {c.lesson_count}. {k.one('next')} next page, "
                      f"{k.answers(4)} answer, {k.one('dismiss')}: free explorer, "
                      f"{k.one('help')}: all keys")

    @staticmethod
    def _fits_wide(size: Size) -> bool:
        return size.width >= WIDE_MIN[0] and size.height >= WIDE_MIN[1]

    def on_resize(self, event: events.Resize) -> None:
        """Switch between wide (everything) and narrow (tabs) layout.

        A resize to the size this screen is already laid out at lays nothing out again. At
        start Textual sends up to three: the app's first size, the terminal's (the same), and
        the screen's own from its first layout; its handler (after this one) lays out and
        paints every widget again for each."""
        if event.size == self.outer_size and self.is_current:
            event.prevent_default()
            return
        self.wide = self._fits_wide(event.size)
        self.set_class(event.size.height >= ROOMY_FROM, "-roomy")

    def watch_wide(self, wide: bool) -> None:
        """Re-lay out."""
        self._apply_layout()

    def watch_active_panel(self, panel: str) -> None:
        """Show the chosen panel (narrow layout) and sync the tabs."""
        tabs = self._tabs()
        if tabs is not None and tabs.active != f"tab-{panel}":
            tabs.active = f"tab-{panel}"
        self._apply_layout()

    def _apply_layout(self) -> None:
        try:
            self.query_one("#panels")
        except NoMatches:  # not composed yet
            return
        # presenter mode: one panel at a time at every size (fewer, larger), under the strip
        wide = self._wide_layout
        self.set_class(wide, "-wide")
        self.set_class(not wide, "-narrow")
        tabs = self._tabs()
        if tabs is None and not wide:
            tabs = self._make_tabs()
            self._mounting(self.query_one("#main").mount(tabs, before=0))
        if tabs is not None:
            tabs.display = not wide
        shown = self._shown_in_columns()
        self._mount_shown(shown)
        for col, ids in COLUMNS.items():
            column = self.query_one(f"#{col}")
            column.display = wide or self.active_panel in ids
            for w in column.children:
                w.display = w.id in shown
        self._show_strip()

    def _show_strip(self) -> None:
        """The one-line race window, narrow only, while a module exists and the modules panel
        (which shows it in full) is not the one shown; in presenter mode the race strip (larger,
        in words) takes its place."""
        strip = self.query_one(WindowStrip)
        strip.set_class(not self.wide and not self.presenting and bool(self.snap.modules)
                        and self.active_panel != "modules", "-on")
        strip.snapshot = self.snap
        self._show_race_strip()

    @property
    def presenting(self) -> bool:
        """Is the app in presenter mode (F5, ``--presenter``)?"""
        return bool(getattr(self.app, "presenter", False))

    def _show_race_strip(self) -> None:
        """Presenter mode's race window, while the scenario has a module (made when first
        shown)."""
        on = self.presenting and bool(self.snap.modules)
        strip = self._panels.get("race-strip")
        if strip is None and on:
            strip = self._panels["race-strip"] = RaceStrip(id="race-strip")
            strip.snapshot = self.snap
            self.query_one("#main").mount(strip, before="#panels")
        if strip is not None:
            strip.display = on

    def relayout(self) -> None:
        """Lay out again (presenter mode switched)."""
        self._apply_layout()

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        """A tab was clicked or selected (stale events are ignored: the Tabs state rules)."""
        active = event.tabs.active
        if active:
            self.active_panel = active.removeprefix("tab-")

    def action_panel(self, delta: int) -> None:
        """Next/previous panel tab."""
        k = PANELS.index(self.active_panel)
        self.active_panel = PANELS[(k + delta) % len(PANELS)]

    # -- drawing --------------------------------------------------------------------------
    def refresh_view(self, snap: Snapshot | None = None) -> None:
        """Hand ``snap`` (None: a fresh snapshot) to every panel and the lesson flow; refresh
        which keys are enabled."""
        self.snap = snap = snap or self.controller.snapshot()
        self._bind_keys()
        panel_to_show = self.lesson_flow.update(snap.lesson)
        if panel_to_show is not None:
            self.active_panel = panel_to_show
        self.query_one(Banner).banners = snap.banners
        self.query_one(StatusBar).snapshot = snap
        self.query_one(HappenedBar).snapshot = snap
        self._show_strip()
        for panel in self._panels.values():
            panel.snapshot = snap
        self._judge_challenge()
        self.refresh_bindings()

    def _judge_challenge(self) -> None:
        """The goal bar after every move; a newly decided try is announced once."""
        st = self.controller.challenge_state()
        self.query_one(GoalBar).state = st
        if st is not None and st.just_decided:
            if st.status == "won":
                self.notify(" ".join(st.challenge.explain.split()),
                            title=f"challenge won: {st.challenge.title}", timeout=12)
            else:
                self.notify(st.why, title="not this time: step back and try again",
                            severity="warning")

    def show_error(self, message: str) -> None:
        """The one-line error panel (and a notification); the state stays as it was."""
        bar = self.query_one(ErrorBar)
        bar.remove_class("-why")
        bar.message = message
        self.notify(message, title="error", severity="error", markup=False)

    def show_why(self, message: str) -> None:
        """Why a key did nothing, in the error line only (no notification: it is no error)."""
        bar = self.query_one(ErrorBar)
        bar.add_class("-why")
        bar.message = message

    def clear_error(self) -> None:
        """Hide the error panel."""
        bar = self.query_one(ErrorBar)
        bar.message = ""
        bar.remove_class("-why")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide step keys of letters this scenario lacks; disable those of blocked threads."""
        if action in ("step", "step_over"):
            letter = str(parameters[0])
            if letter not in {t.letter for t in self.snap.threads}:
                return False
            return True if letter in self.snap.runnable else None
        if action in ("finish", "run_to_end"):
            return True if self.snap.runnable else None
        if action == "step_auto":
            return True if self.snap.runnable or self.snap.step < self.snap.length else None
        if action.startswith("answer"):
            return self.lesson is not None
        if action == "give_up":
            return True if self.controller.play is not None else None
        return True

    def on_key(self, event: events.Key) -> None:
        """A key whose binding is disabled does nothing: say why, from the model's state."""
        if isinstance(self.focused, Input):
            return
        ab = self.active_bindings.get(event.key)
        if ab is None:
            letter = event.key.upper() if event.key.isalpha() and len(event.key) == 1 else ""
            if letter and letter in THREAD_LETTERS:  # a step key of a letter this scenario lacks
                self.show_why(f"{event.key}: no thread {letter} here (threads: " + ", ".join(
                    f"{t.step_key}={t.name}" for t in self.snap.threads) + ")")
            return
        if ab.enabled:
            return
        _, action, params = parse_action(ab.binding.action)
        why = self.why_disabled(action, params)
        if why:
            self.show_why(f"{event.key}: {why}")

    def why_disabled(self, action: str, params: tuple[object, ...]) -> str:
        """Why ``action`` cannot run now, from the snapshot the model gave ('' if it can)."""
        snap, k = self.snap, self.controller.keys
        if action in ("step", "step_over"):
            lane = next((ln for ln in snap.lanes if ln.letter == str(params[0])), None)
            if lane is None or lane.runnable:
                return ""
            who = f"{lane.letter} ({lane.name})"
            if lane.done or lane.result is not None:
                return f"{who} has ended: {lane.result}"
            return f"{who} {lane.blocked_reason or 'cannot step now'}"
        if action in ("finish", "run_to_end") and not snap.runnable:
            waiting = [f"{ln.letter} {ln.blocked_reason}" for ln in snap.lanes
                       if not ln.runnable and not ln.done and ln.blocked_reason
                       and not ln.daemon]
            return ("no thread can step: " + "; ".join(waiting)) if waiting else \
                (f"every thread has ended ({k.one('prev')} or {k.one('back')} steps back; "
                 f"{k.one('jump_start')} jumps to step 0)")
        if action == "answer" and self.lesson is None:
            return f"no question to answer: {k.one('pick_lesson')} opens the lessons"
        if action == "give_up" and self.controller.play is None:
            return f"gives up a challenge; none is running ({k.one('challenges')} lists them)"
        return ""

    # -- the scheduler --------------------------------------------------------------------
    def run(self, intent: Intent) -> bool:
        """Apply ``intent`` (the one way this screen changes the model) and redraw; a bad one
        (ValueError) is one line in the error panel and the state is kept."""
        try:
            snap = self.controller.apply(intent)
        except ValueError as e:
            self.show_error(str(e))
            self.refresh_view()
            return False
        self.clear_error()
        self.refresh_view(snap)
        if snap.lesson is not None and snap.lesson.note:  # why Right/an answer did nothing
            self.show_why(snap.lesson.note)
        if isinstance(intent, i.PickScenario) and self.controller.last_dropped:
            self.notify(f"dropped {', '.join(self.controller.last_dropped)}: not applicable to "
                        f"{intent.name}", title="what-ifs", severity="warning", markup=False,
                        timeout=8)
        return True

    def action_step(self, letter: str) -> None:
        """Step thread ``letter`` by one line."""
        self.run(i.Step(letter))

    def action_step_over(self, letter: str) -> None:
        """Step thread ``letter`` over the call on its current line."""
        self.run(i.StepOver(letter))

    def action_finish(self) -> None:
        """Run the last-stepped thread (or the first runnable one) until its function returns."""
        if self.snap.runnable:
            self.run(i.Finish())

    def action_step_auto(self) -> None:
        """One step: the recorded future, else the first runnable thread."""
        if self.snap.step < self.snap.length or self.snap.runnable:
            self.run(i.Command.STEP_AUTO)

    def action_run_to_end(self) -> None:
        """Run the default schedule to the end."""
        self.run(i.Command.RUN_TO_END)

    def action_back(self) -> None:
        """One step back in history (at step 0 the error line says so)."""
        if self.snap.step == 0:
            self.show_why("at step 0: nothing to step back over")
            return
        self.run(i.Command.BACK)

    def action_forward(self) -> None:
        """One step forward in history (replays what was undone); at the newest step the error
        line says how to go on."""
        if self.snap.step >= self.snap.length:
            self.show_why(self._at_newest())
            return
        self.run(i.Command.FORWARD)

    def _at_newest(self) -> str:
        if not self.snap.runnable:
            return "at the last step: " + (self.why_disabled("run_to_end", ()) or
                                           "every thread has ended")
        keys = ", ".join(f"{ln.letter.lower()} ({ln.name})" for ln in self.snap.lanes
                         if ln.letter in self.snap.runnable)
        return f"at the newest step: nothing to replay; step a thread: {keys}"

    def action_left(self) -> None:
        """Previous lesson page in a lesson, else one step back."""
        if self.lesson is None:
            self.action_back()
        else:
            self.run(i.Command.PREV)

    def action_right(self) -> None:
        """Next lesson page in a lesson, else one step forward."""
        if self.lesson is None:
            self.action_forward()
        else:
            self.run(i.Command.NEXT)

    def action_jump_start(self) -> None:
        """Jump to step 0."""
        self.run(i.Jump(0))

    def action_jump_end(self) -> None:
        """Jump to the end of the recorded history."""
        self.run(i.Command.JUMP_END)

    def jump(self, n: int) -> None:
        """Jump to step ``n`` of the recorded history."""
        self.run(i.Jump(n))

    def action_jump_prompt(self) -> None:
        """Ask for a step number."""

        def done(text: str | None) -> None:
            if text is None or not text.strip():
                return
            try:
                n = int(text.strip())
            except ValueError:
                self.show_error(f"{text.strip()!r}: not a step number")
                return
            self.jump(n)

        self.app.push_screen(
            screens.PromptScreen(f"Jump to step (0..{self.snap.length})", "e.g. 12"), done)

    def action_copy_schedule(self) -> None:
        """Copy the full schedule: to the terminal's clipboard (``App.copy_to_clipboard`` writes
        an OSC 52 sequence) and to the app's, which prefills the paste box."""
        sched = self.snap.full_schedule
        self.app.copy_to_clipboard(sched)
        self.notify(f"copied schedule {sched or '(empty)'} (OSC 52: the terminal's clipboard; "
                    "p pastes it back)", title="clipboard", markup=False)

    def load_schedule(self, text: str) -> bool:
        """Replay ``text`` from the start; a bad schedule shows an error and keeps the state."""
        return self.run(i.LoadSchedule(text))

    def action_paste_schedule(self) -> None:
        """Ask for a schedule (paste it) and replay it."""

        def done(text: str | None) -> None:
            if text is not None and text.strip():
                self.load_schedule(text.strip())

        now = self.snap.full_schedule or "L4V7L28V*"
        self.app.push_screen(screens.PromptScreen("Paste a schedule to replay (any case: l4v7)",
                                                  f"e.g. {now}", self.app.clipboard), done)

    # -- explore, what-ifs, scenarios, lessons ------------------------------------------------
    def action_explore(self) -> None:
        """Explore every interleaving; a picked outcome's or violation's witness is replayed to
        its end, where what it witnesses shows (Home, then autoplay, plays it from the start)."""

        def done(witness: str | None) -> None:
            if witness and self.run(i.LoadSchedule(witness)):
                s = self.snap
                broken = f", where {s.violations[0][0]} breaks" if s.violations else ""
                if s.violations:  # the trace's first line names it (narrow: not on screen)
                    self.active_panel = "trace"
                k = self.controller.keys
                self.notify(f"witness {witness} loaded to its end (step {s.step}{broken}): "
                            f"{k.one('jump_start')}, then {k.one('autoplay')}, plays it from "
                            "the start", title="explore", markup=False)

        self.app.push_screen(screens.ExploreScreen(self.controller), done)

    def set_options(self, variants: list[str], faults: list[str]) -> bool:
        """Switch what-ifs and faults (``name`` or ``name:n``; the banner follows)."""
        return self.run(i.SetOptions((*variants, *faults)))

    def action_whatif(self) -> None:
        """Pick variants and faults."""
        on = {o.name for o in self.snap.option_state if o.on}

        def done(result: tuple[list[str], list[str]] | None) -> None:
            if result is not None:  # a fault already on keeps its count (krealloc_fails:2)
                variants, faults = result
                self.run(i.SetOptions((*variants, *faults)))

        variants, faults, left_out = self.controller.whatif_choices()
        self.app.push_screen(screens.WhatIfScreen(variants, faults, on,
                                                  self.controller.scenario_name, left_out), done)

    def load_scenario(self, name: str) -> bool:
        """Open scenario ``name`` (leaving any lesson), keeping the what-ifs that apply to it
        (:meth:`run` names those dropped)."""
        return self.run(i.PickScenario(name))

    def action_challenges(self) -> None:
        """List the challenges; play one, or give it up to see a shortest win."""

        def done(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            what, name = choice
            if not self.run(i.StartChallenge(name)):
                return
            if what == "give_up":
                self.give_up(name)
            self.active_panel = "lanes"

        self.app.push_screen(screens.ChallengesScreen(self.controller.progress), done)

    def give_up(self, name: str) -> None:
        """Give the challenge being played up and say which shortest win is loaded."""
        if self.run(i.Command.GIVE_UP):
            sched = self.controller.last_give_up
            self.notify(f"a shortest win is {sched}: it is loaded at step 0, step through "
                        f"it ({self.controller.keys.one('next')})", title=f"gave up {name}",
                        timeout=12, markup=False)

    def action_give_up(self) -> None:
        """Give up the challenge being played (disabled, with a reason, when none is)."""
        play = self.controller.play
        if play is not None:
            self.give_up(play.challenge.name)

    def action_hint(self) -> None:
        """The hint of the challenge being played."""
        st = self.controller.challenge_state()
        if st is None:
            self.show_error("no challenge is being played: press "
                            f"{self.controller.keys.one('challenges')} to pick one")
            return
        self.notify(" ".join(st.challenge.hint.split()), title=f"hint: {st.challenge.title}",
                    timeout=15)

    def action_sort_lab(self, ids: str = "", key: str = "") -> None:
        """Your own IDs through lib/sort.c, step by step (ctrl+r there: register as my cell)."""

        def done(cell: tuple[str, str] | None) -> None:
            if cell is not None and self.run(i.LoadCustom(*cell)):
                self.active_panel = "table"

        self.app.push_screen(screens.SortLabScreen(ids or "5 3 9 1 7", key), done)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """The sort panel's input: ``IDS [; KEY]`` opens the sort lab; bad input is one line
        in the error panel and the input keeps its text."""
        if event.input.id != "array-input":
            return
        ids, _, key = event.value.partition(";")
        key = key.strip().removeprefix("key").strip()
        try:
            SortLab.from_text(ids, key)
        except ValueError as e:
            self.show_error(str(e))
            return
        self.clear_error()
        self.action_sort_lab(ids.strip(), key)

    def action_pick_scenario(self) -> None:
        """Choose a scenario."""

        entries = [(c.name, f"{c.name:<20} {'/'.join(c.versions):<9} {c.title}")
                   for c in self.controller.scenarios()]
        self._pick("Scenarios (name, kernel versions: the first opens)", entries,
                   self.load_scenario)

    def _pick(self, title: str, entries: list[tuple[str, str]],
              then: Callable[[str], object]) -> None:
        """A picker of ``entries`` (value, label); ``then(value)`` once one is picked (Escape:
        nothing)."""

        def done(value: str | None) -> None:
            if value is not None:
                then(value)

        self.app.push_screen(screens.PickerScreen(title, entries), done)

    def set_kernel(self, kernel: str) -> bool:
        """Show the loaded scenario in another kernel version (leaving any lesson)."""
        return self.run(i.PickKernel(kernel))

    def action_pick_kernel(self) -> None:
        """Choose the kernel version of the loaded scenario (5.16, 5.18, 6.17: where it exists)."""
        cur = self.controller.kernel
        entries = [(v, f"linux {v}" + ("  (shown now)" if v == cur else ""))
                   for v in self.controller.versions()]
        self._pick(f"{self.controller.scenario_name}: kernel version", entries, self.set_kernel)

    def action_versions(self) -> None:
        """tcp_cubic's registration in v5.16, v5.18 and 6.17 side by side, and what changed."""
        from explorer.tui.screens.versions import VersionsScreen

        self.app.push_screen(VersionsScreen(self.controller.keys))

    def action_pick_lesson(self) -> None:
        """Choose a lesson."""

        entries = [(ls.slug, f"{ls.title} ({len(ls.pages)} pages)")
                   for ls in self.controller.lessons()]
        self._pick("Lessons", entries, self.open_lesson)

    def open_lesson(self, slug: str, page: int = 0) -> bool:
        """Start lesson ``slug`` at ``page``."""
        return self.run(i.OpenLesson(slug, page))

    def leave_lesson(self) -> None:
        """Close the narration."""
        self.run(i.Command.LEAVE_LESSON)

    def goto_page(self, index: int) -> None:
        """Open page ``index`` of the current lesson (clamped): places the model there."""
        self.run(i.GotoPage(index))

    def action_answer(self, index: int) -> None:
        """Pick choice ``index`` of the page's prediction."""
        self.check_prediction(index)

    def on_lesson_panel_picked(self, event: LessonPanel.Picked) -> None:
        """A choice was picked in the lesson panel."""
        self.check_prediction(event.index)

    def check_prediction(self, index: int) -> None:
        """Grade choice ``index`` of the page's prediction against the model."""
        self.run(i.Answer(index))

    def action_dismiss_error(self) -> None:
        """Escape: hide the error, else stop autoplay, else leave the lesson. (A line that only
        said why a key did nothing is no error: Escape hides it and goes on.)"""
        bar = self.query_one(ErrorBar)
        if bar.message and not bar.has_class("-why"):
            self.clear_error()
            return
        self.clear_error()
        if self.autoplay:
            self.autoplay = False
        elif self.lesson is not None:
            self.run(i.Command.LEAVE_LESSON)

    # -- presenter --------------------------------------------------------------------------
    def action_autoplay(self) -> None:
        """Start/stop autoplay (Controller.step_auto on a timer). With a recorded future (a
        loaded witness or schedule, or steps undone) it plays exactly that and stops at its
        end, so the race it shows is the one loaded; else it runs in thread order to the end."""
        if not self.player.on:
            self._play_to = self.snap.length if self.snap.step < self.snap.length else None
        self.player.toggle()

    def action_speed(self, delta: int) -> None:
        """Faster/slower autoplay."""
        self.player.faster(delta)

    def _show_autoplay(self, status: str) -> None:
        self.query_one(StatusBar).autoplay = status

    def _autoplay_step(self) -> bool:
        """One autoplay step; False at a terminal state or at the end of the recorded
        schedule it started on."""
        if self.snap.terminal:
            self.player.stop_reason = "every thread has ended"
            return False
        if self._play_to is not None and self.snap.step >= self._play_to:
            self._play_to = None
            self.player.stop_reason = (f"end of the loaded schedule {self.snap.schedule} "
                                       f"({self.controller.keys.one('autoplay')} again "
                                       "continues in thread order)")
            return False
        before = self.snap.step
        return self.run(i.Command.STEP_AUTO) and self.snap.step > before

    def autoplay_tick(self) -> None:
        """One autoplay step; stop at a terminal state."""
        self.player.tick()

    def action_screenshot(self) -> None:
        """Save an SVG screenshot into the app's screenshot directory."""
        path = save_screenshot(self.app, self.screenshot_dir, self.snap)
        self.notify(f"saved {path}", title="screenshot", markup=False)

    def action_help(self) -> None:
        """Show every key."""
        self.app.push_screen(screens.HelpScreen(self.help_rows()))
