"""ipywidgets explorers over :class:`explorer.views.controller.Controller`.

* :class:`Explorer`: step/back, Play + step slider + speed, one button per thread, a schedule box
  to paste and share, what-if and fault pickers, "explore all" with witness buttons, and tabs with
  the table, the array, the lanes, the modules, the trace and the Graphviz diagrams.
* :class:`PredictionWidget`: a lesson page's question, its choices, and Check (one locked answer
  a question, as in the TUI).
* :class:`LessonWidget`: a lesson's pages, from the shared lesson source, with prev/next, on the
  lesson intents the TUI's keys run and the snapshot's lesson state.

Bad input never raises out of a callback: it shows as a one-line message and the state is kept.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import ipywidgets as W

from explorer.notebook import render
from explorer.notebook.answers import (
    announce,
    answer_store,
    listen,
    progress_store,
    shared_lessons,
)
from explorer.views import dot
from explorer.views import intents as it
from explorer.views.actions import ACTION_BY_ID, Action
from explorer.views.controller import Controller, ExploreView, LessonView
from explorer.views.snapshot import AnswerVerdict, LessonState, Snapshot, panel_for_focus

ZOOMS = {"fit": "", "100%": "kx-zoom-actual", "200%": "kx-zoom-double"}
"""Diagram sizes: fit the panel (default), the diagram's own size, twice it; both scroll."""

PLAY_MIN_MS = 20
"""The fastest Play: one step every 20 ms (the kernel renders each step, so it may run slower)."""

TABS = ("table", "sort/bsearch", "lanes", "modules", "trace", "explore")
TAB_OF_PANEL = {"table": 0, "array": 1, "lanes": 2, "modules": 3, "trace": 4}
"""The tab that shows each panel of :data:`explorer.views.snapshot.PANELS`."""


def focus_tab(focus: str) -> int:
    """The tab a lesson page's ``focus`` looks at (through the one focus → panel map)."""
    return TAB_OF_PANEL[panel_for_focus(focus)]


def _html(value: str = "") -> W.HTML:
    return W.HTML(value=value)


def action_button(action: Action) -> W.Button:
    """A button for a row of the ACTIONS table: its notebook label, its description and the
    TUI's key for the same action as the tooltip."""
    return W.Button(description=action.button or action.description, icon=action.icon,
                    tooltip=f"{action.description} (TUI key {action.key_name})")


def _call_later(delay: float, fn: Callable[[], object]) -> Callable[[], None] | None:
    """Run ``fn`` after ``delay`` seconds on the kernel's event loop; returns a cancel function,
    or None where no loop runs (a plain script: Play then advances only by :meth:`play_tick`)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    handle = loop.call_later(delay, fn)
    return handle.cancel


def set_range(slider: W.IntSlider, value: int, top: int) -> None:
    """Move ``slider`` to ``value`` in ``0..top`` without ever clamping through a third value.

    Setting ``max`` below the current value first makes ipywidgets clamp ``value`` to the new
    max, and the browser reports that intermediate value back as if the learner had moved the
    slider: the explorer then stepped once more (a pasted L4V7 after a longer run ended as L4V7L).
    So ``value`` goes first when the range shrinks, and both travel in one message."""
    with slider.hold_sync():
        if value <= slider.max:
            slider.value = value
            slider.max = top
        else:
            slider.max = top
            slider.value = value


class Explorer(W.VBox):  # type: ignore[misc]
    """A live explorer of one scenario; ``ctl`` is its :class:`Controller`."""

    def __init__(self, scenario: str = "module_race", *, variants: tuple[str, ...] = (),
                 faults: tuple[str, ...] | None = None, schedule: str = "",
                 focus: str = "table", diagrams: bool = True,
                 controller: Controller | None = None, kernel: str | None = None) -> None:
        self.ctl = controller or Controller(scenario, progress_store(), kernel=kernel)
        if schedule or variants or faults is not None:
            self.ctl.load(scenario, variants, faults, schedule, kernel)
        self.diagrams = diagrams
        self.last_explore: ExploreView | None = None
        self._busy = False
        self._end_terminal = False
        self._thread_row_letters: tuple[str, ...] = ()
        self.on_change: list[Callable[[], None]] = []
        """Called after every intent this explorer applied (a lesson widget follows the
        lesson state: the scenario menu leaves the lesson, as in the TUI)."""

        self.style = _html(render.STYLE)
        self.header = _html()
        self.header.add_class("kx-header")
        self.message = _html()
        # stepping
        # stepping: the rows of the ACTIONS table with a notebook button (the TUI's keys for
        # the same intents)
        self.btn_start = action_button(ACTION_BY_ID["jump_start"])
        self.btn_back = action_button(ACTION_BY_ID["back"])
        self.btn_step = action_button(ACTION_BY_ID["step_auto"])
        self.btn_end = action_button(ACTION_BY_ID["run_to_end"])
        # continuous_update=False: the browser's slider reports a value only when the learner
        # lets go. With live updates it also reported its own re-computation of every value the
        # kernel sent (noUiSlider's "update" event), floored: 622 of 0..623 came back as 621.
        self.slider = W.IntSlider(value=0, min=0, max=1, description="step",
                                  continuous_update=False, layout=W.Layout(width="420px"))
        self.slider.add_class("kx-slider")
        # Play runs in the kernel (a timer on its event loop), not in the browser: each tick is
        # one step, so no tick is lost at any speed and stopping keeps the position.
        self.play = W.ToggleButton(value=False, description="▶ play",
                                   tooltip="play: one step per tick until the run ends")
        self.play.add_class("kx-play")
        self.speed = W.IntSlider(value=150, min=PLAY_MIN_MS, max=1000, step=10,
                                 description="ms/step", layout=W.Layout(width="260px"))
        self.speed.add_class("kx-speed")
        self._play_cancel: Callable[[], None] | None = None
        self._call_later = _call_later
        self.thread_box = W.HBox()
        self.thread_buttons: dict[str, W.Button] = {}
        # schedule
        self.schedule_text = W.Text(value="", placeholder="e.g. L4V7 or B*",
                                    description="schedule", continuous_update=False,
                                    layout=W.Layout(width="360px"))
        self.schedule_text.add_class("kx-schedule")
        self.btn_load = W.Button(description="replay", tooltip="replay this schedule from the "
                                 "start")
        self.full_schedule = _html()
        # the trace rows write a step number here (browser hook in render.py); hidden
        self.jump_box = self._number_box(
            "kx-jump", lambda n: self.run(it.Jump(min(n, self.ctl.snapshot().length))))
        # options
        scen = Controller.scenarios()  # each labelled with its kernel versions (value: name)
        names: list[tuple[str, str]] = [
            (f"{c.name} ({'/'.join(c.versions)})" if c.versions else c.name, c.name)
            for c in scen]
        if self.ctl.scenario_name not in {n for _, n in names}:
            names.append((self.ctl.scenario_name, self.ctl.scenario_name))
        self.scenario_pick = W.Dropdown(options=names, value=self.ctl.scenario_name,
                                        description="scenario")
        self.kernel_pick = W.Dropdown(options=list(self.ctl.versions()), value=self.ctl.kernel,
                                      description="kernel",
                                      tooltip="the versions of this scenario (the schedule "
                                      "restarts when you switch)")
        self.variant_boxes = {c.name: W.Checkbox(value=False, description=c.name,
                                                 tooltip=c.title, indent=False,
                                                 layout=W.Layout(width="150px"))
                              for c in Controller.variants()}
        self.fault_boxes = {c.name: W.Checkbox(value=False, description=c.name, tooltip=c.title,
                                               indent=False, layout=W.Layout(width="150px"))
                            for c in Controller.faults()}
        # explore
        self.btn_explore = W.Button(description="explore all", button_style="info",
                                    tooltip="explore every interleaving of this scenario")
        self.explore_out = _html()
        self.witness_box = W.VBox()
        self.witness_buttons: list[W.Button] = []
        self.state_graph = _html()
        self.state_info = _html()
        # a click on a state graph node writes its state number here (render.py); hidden
        self.state_box = self._number_box("kx-state", self.load_state)
        # displays
        self.table_html = _html()
        self.pointer_svg = _html()
        self.array_html = _html()
        self.heap_svg = _html()
        self.lanes_html = _html()
        self.modules_html = _html()
        self.module_svg = _html()
        self.trace_html = _html()
        self.diagram_views = (self.pointer_svg, self.heap_svg, self.module_svg, self.state_graph)
        self.zoom = W.ToggleButtons(options=list(ZOOMS), value="fit", description="diagrams",
                                    tooltip="fit the panel, or the diagram's own size "
                                    "(scroll inside it)", style={"button_width": "72px"})
        self.zoom.add_class("kx-zoom")
        self.zoom.observe(self._on_zoom, names="value")
        self.tabs = W.Tab(children=[
            W.VBox([self.table_html, self.pointer_svg]),
            W.VBox([self.array_html, self.heap_svg]),
            self.lanes_html,
            W.VBox([self.modules_html, self.module_svg]),
            self.trace_html,
            W.VBox([self.btn_explore, self.explore_out, self.witness_box, self.state_info,
                    self.state_graph]),
        ])
        for i, t in enumerate(TABS):
            self.tabs.set_title(i, t)
        self.tabs.selected_index = focus_tab(focus)

        for key, btn in (("jump_start", self.btn_start), ("back", self.btn_back),
                         ("step_auto", self.btn_step), ("run_to_end", self.btn_end)):
            intent = ACTION_BY_ID[key].intent
            assert intent is not None
            btn.on_click(lambda _b, i=intent: self.run(i))
        self.btn_load.on_click(lambda _b: self.set_schedule(self.schedule_text.value))
        self.btn_explore.on_click(lambda _b: self.explore())
        self.slider.observe(self._on_slider, names="value")
        self.play.observe(self._on_play, names="value")
        self.schedule_text.observe(self._on_schedule, names="value")
        self.scenario_pick.observe(self._on_scenario, names="value")
        self.kernel_pick.observe(self._on_kernel, names="value")
        for box in (*self.variant_boxes.values(), *self.fault_boxes.values()):
            box.observe(self._on_options, names="value")
        self.tabs.observe(lambda _c: self.refresh(), names="selected_index")

        opts = W.VBox([
            W.HBox([self.scenario_pick, self.kernel_pick]),
            W.HBox([W.HTML("<b>what-ifs (NOT the kernel):</b>"),
                    *self.variant_boxes.values()]),
            W.HBox([W.HTML("<b>faults (kernel error paths):</b>"), *self.fault_boxes.values()]),
        ])
        self.btn_back.add_class("kx-back")
        self.btn_step.add_class("kx-step")
        super().__init__(children=[
            self.style, self.header, self.jump_box, self.state_box,
            W.HBox([self.btn_start, self.btn_back, self.btn_step, self.btn_end, self.slider]),
            W.HBox([self.play, self.speed]),
            self.thread_box,
            W.HBox([self.schedule_text, self.btn_load, self.full_schedule]),
            self.message, opts, self.zoom, self.tabs,
        ])
        self.add_class("kx-explorer")
        self._sync_pickers()
        self.refresh()

    # -- constructors -------------------------------------------------------------------------
    @classmethod
    def for_page(cls, lesson: LessonView, index: int, **kw: Any) -> Explorer:
        """An explorer placed where page ``index`` of ``lesson`` puts the model."""
        p = lesson.pages[index]
        return cls(p.scenario, variants=tuple(p.variants), faults=tuple(p.faults),
                   schedule=p.schedule, focus=p.focus, kernel=p.kernel or None, **kw)

    # -- state -> widgets ---------------------------------------------------------------------
    @property
    def snap(self) -> Snapshot:
        return self.ctl.snapshot()

    def run(self, intent: it.Intent, sync: bool = False) -> bool:
        """Apply ``intent`` (:meth:`Controller.apply <explorer.views.controller.Controller.apply>`,
        what every button, box and slider does); ``sync`` re-reads the pickers after."""
        return self._act(lambda: self.ctl.apply(intent), sync)

    def _act(self, fn: Any, sync: bool = False) -> bool:
        """Run a controller action; show a bad input as a one-line message, keep the state."""
        try:
            fn()
        except ValueError as e:
            self.message.value = f"<span class='kx-msg'>⚠ {render.esc(e)}</span>"
            # the learner's text stays in the schedule box to be mended (nothing they had is
            # lost: a replay button pressed now must not replay the position shown instead)
            self.refresh(clear_message=False, keep_input=True)
            if sync:  # a refused box or menu shows what is on again, not what was asked
                self._sync_pickers()
            return False
        if sync:
            self._sync_pickers()
        self.refresh()
        for fn in self.on_change:
            fn()
        return True

    def _sync_pickers(self) -> None:
        self._busy = True
        try:
            self.scenario_pick.value = self.ctl.scenario_name
            self.kernel_pick.options = list(self.ctl.versions())
            self.kernel_pick.value = self.ctl.kernel
            o = self.ctl.options
            offered = self.ctl.offered_options()
            for name, box in self.variant_boxes.items():
                box.value = name in o.variants
            for name, box in self.fault_boxes.items():
                box.value = o.has_fault(name)
            for name, box in (*self.variant_boxes.items(), *self.fault_boxes.items()):
                box.disabled = name not in offered  # as the TUI's what-if list leaves it out
            self._thread_row_letters = ()
        finally:
            self._busy = False

    def _threads_row(self, snap: Snapshot) -> None:
        letters = tuple(t.letter for t in snap.threads)
        if letters != self._thread_row_letters:
            self.thread_buttons = {}
            for t in snap.threads:
                b = W.Button(description=f"{t.letter}: {t.name}",
                             tooltip=f"step thread {t.letter} ({t.name}) once "
                                     f"(TUI key {t.step_key})")
                b.on_click(lambda _b, ltr=t.letter: self.step_thread(ltr))
                self.thread_buttons[t.letter] = b
            self.thread_box.children = [W.HTML("<b>step thread:</b>"),
                                        *self.thread_buttons.values()]
            self._thread_row_letters = letters
        for letter, b in self.thread_buttons.items():
            b.disabled = letter not in snap.runnable
            b.button_style = "success" if not b.disabled else ""

    def refresh(self, clear_message: bool = True, keep_input: bool = False) -> None:
        """Redraw from the controller's snapshot; ``keep_input`` leaves the schedule box as the
        learner typed it (after a bad schedule)."""
        snap = self.ctl.snapshot()
        if clear_message:
            self.message.value = ""
        if snap.step == snap.length:
            self._end_terminal = snap.terminal
        top = snap.length if self._end_terminal else snap.length + 1
        self._busy = True
        try:
            set_range(self.slider, snap.step, max(top, 1))
            if not keep_input and self.schedule_text.value != snap.schedule:
                self.schedule_text.value = snap.schedule
        finally:
            self._busy = False
        self.header.value = render.header_html(snap)
        self.full_schedule.value = (f"<span class='kx'>timeline: <code>"
                                    f"{render.esc(snap.full_schedule or '-')}</code></span> "
                                    + render.copy_button(snap.full_schedule)
                                    + render.KEYS_HOOK)
        self.btn_back.disabled = snap.step == 0
        self.btn_start.disabled = snap.step == 0
        self.btn_step.disabled = snap.terminal and snap.step == snap.length
        self.btn_end.disabled = self.btn_step.disabled
        self._threads_row(snap)
        tab = self.tabs.selected_index or 0
        self.table_html.value = render.tables_html(snap)
        self.array_html.value = render.array_html(snap.array)
        self.lanes_html.value = render.lanes_html(snap)
        self.modules_html.value = render.modules_html(snap)
        self.trace_html.value = render.trace_html(
            snap, broken=self.ctl.first_violation() if snap.violations else None)
        if self.diagrams:  # only the visible tab's diagram: dot runs take time
            if tab == 0:
                self.pointer_svg.value = render.render_dot(dot.pointer_graph(snap)).html()
            elif tab == 1:
                self.heap_svg.value = (render.render_dot(dot.heap_tree(snap.array)).html()
                                       if snap.array is not None and snap.array.kind == "sort"
                                       else "")
            elif tab == 3:  # no modules (another scenario now): no stale diagram either
                self.module_svg.value = (render.render_dot(dot.module_state_machine(snap)).html()
                                         if snap.modules else "")

    # -- callbacks ----------------------------------------------------------------------------
    def step_thread(self, letter: str) -> bool:
        return self.run(it.Step(letter))

    def set_schedule(self, text: str) -> bool:
        """Replay ``text`` from the start (a bad schedule: a message, the state kept)."""
        return self.run(it.LoadSchedule(text))

    def _on_schedule(self, change: dict[str, Any]) -> None:
        if not self._busy and change["new"] != self.ctl.snapshot().schedule:
            self.set_schedule(str(change["new"]))

    def goto(self, n: int) -> None:
        """Go to step ``n``: along the recorded timeline, then onward by the first runnable
        thread (at most ``n`` steps)."""
        self.run(it.Goto(n))

    @staticmethod
    def _number_box(cls: str, act: Callable[[int], object]) -> W.Text:
        """A hidden box the browser writes a number into (a trace row's step, a state graph
        node's state): ``act`` gets the number, and the box is cleared for the next click."""
        box = W.Text(value="", continuous_update=False, layout=W.Layout(display="none"))
        box.add_class(cls)

        def typed(change: dict[str, Any]) -> None:
            text = str(change["new"]).strip()
            if not text:
                return
            box.value = ""
            if text.isdigit():
                act(int(text))

        box.observe(typed, names="value")
        return box

    def _on_slider(self, change: dict[str, Any]) -> None:
        """The learner moved the slider."""
        if not self._busy and int(change["new"]) != self.ctl.snapshot().step:
            self.goto(int(change["new"]))

    def _on_zoom(self, change: dict[str, Any]) -> None:
        for view in self.diagram_views:
            for cls in ZOOMS.values():
                if cls:
                    view.remove_class(cls)
            if ZOOMS[str(change["new"])]:
                view.add_class(ZOOMS[str(change["new"])])

    # -- play ---------------------------------------------------------------------------------
    def _at_end(self) -> bool:
        snap = self.ctl.snapshot()
        return snap.terminal and snap.step == snap.length

    def _on_play(self, change: dict[str, Any]) -> None:
        if change["new"]:
            if self._at_end():  # play again from the start, as a media player does
                self.run(it.Jump(0))
            self.play.description = "⏸ pause"
            self._schedule_tick()
        else:
            self.play.description = "▶ play"
            if self._play_cancel is not None:
                self._play_cancel()
                self._play_cancel = None

    def _schedule_tick(self) -> None:
        self._play_cancel = self._call_later(max(PLAY_MIN_MS, self.speed.value) / 1000,
                                              self.play_tick)

    def play_tick(self) -> bool:
        """One Play step (forward along the timeline, else the first runnable thread); Play
        stops by itself only at the end of the run. Returns whether it stepped."""
        self._play_cancel = None
        if not self.play.value:
            return False
        before = self.ctl.snapshot().step
        stepped = self.run(it.Command.STEP_AUTO) and self.ctl.snapshot().step > before
        if not stepped or self._at_end():
            self.play.value = False
            return stepped
        self._schedule_tick()
        return True

    def _on_scenario(self, change: dict[str, Any]) -> None:
        if self._busy:
            return
        name = str(change["new"])
        self.last_explore = None
        self._clear_explore()
        for view in self.diagram_views:  # the hidden tabs redraw when opened
            view.value = ""
        self.run(it.PickScenario(name), sync=True)  # keeps the what-ifs that apply

    def _on_kernel(self, change: dict[str, Any]) -> None:
        if self._busy or change["new"] is None:
            return
        kernel = str(change["new"])
        self.last_explore = None
        self._clear_explore()
        self.run(it.PickKernel(kernel), sync=True)

    def set_kernel(self, kernel: str) -> bool:
        """Switch the scenario's kernel version programmatically (like the kernel menu)."""
        self._clear_explore()
        return self.run(it.PickKernel(kernel), sync=True)

    def _on_options(self, _change: dict[str, Any]) -> None:
        if self._busy:
            return
        on = tuple(n for boxes in (self.variant_boxes, self.fault_boxes)
                   for n, b in boxes.items() if b.value)
        self._clear_explore()
        self.run(it.SetOptions(on), sync=True)  # a fault already on keeps its count

    def set_options(self, variants: tuple[str, ...] = (), faults: tuple[str, ...] = ()) -> bool:
        """Pick what-ifs and faults programmatically (like ticking the boxes)."""
        self._clear_explore()
        return self.run(it.SetOptions((*variants, *faults)), sync=True)

    # -- explore ------------------------------------------------------------------------------
    def _clear_explore(self) -> None:
        self.explore_out.value = ""
        self.witness_box.children = []
        self.witness_buttons = []
        self.state_graph.value = ""
        self.state_info.value = ""

    def explore(self) -> ExploreView:
        """Explore every interleaving; list outcomes with a button per witness."""
        self.explore_out.value = "<i>exploring…</i>"
        ev = self.ctl.explore(keep_graph=self.diagrams)
        self.last_explore = ev
        self.explore_out.value = render.explore_html(ev)
        buttons = []
        for o in ev.outcomes:
            b = W.Button(description=f"load: {o.label}" + (" (hidden)" if o.hidden else ""),
                         tooltip=o.hidden or f"witness {o.witness}", disabled=bool(o.hidden),
                         layout=W.Layout(width="auto"))
            b.on_click(lambda _b, w=o.witness: self.load_witness(w))
            buttons.append(b)
        for (name, _msg, _n, w), hidden in zip(ev.violations, ev.hidden or [""] * len(
                ev.violations), strict=True):
            b = W.Button(description=f"load violation: {name}" + (" (hidden)" if hidden else ""),
                         button_style="danger", tooltip=hidden or f"witness {w}",
                         disabled=bool(hidden), layout=W.Layout(width="auto"))
            b.on_click(lambda _b, w=w: self.load_witness(w, tab=4))  # the trace marks the step
            buttons.append(b)
        self.witness_buttons = buttons
        self.witness_box.children = [W.HTML("<b>load a witness:</b>"), *buttons]
        if self.diagrams:
            self.state_graph.value = render.state_graph_html(
                render.render_dot(dot.state_graph(ev)))
        return ev

    def load_state(self, state: int) -> bool:
        """Load explored state ``state`` (a node of the state graph, ``s<state>``): replay a
        shortest schedule that reaches it; the explore tab stays open, to pick another."""
        ev = self.last_explore
        if ev is None:
            self.message.value = "<span class='kx-msg'>⚠ explore first: no state graph</span>"
            return False
        sched = ""

        def go() -> None:
            nonlocal sched
            sched = self.ctl.state_schedule(ev, state)
            self.ctl.load_schedule(sched)

        if not self._act(go):
            return False
        snap = self.ctl.snapshot()
        end = ("an end state: " + ", ".join(f"{k} {v}" for k, v in snap.outcome)
               if snap.terminal else f"runnable: {', '.join(snap.runnable) or 'none'}")
        self.state_info.value = (f"<div class='kx'>loaded state <b>s{state}</b>: step "
                                 f"{snap.step}, schedule <code>{render.esc(sched or '-')}"
                                 f"</code> ({render.esc(end)})</div>")
        return True

    def load_witness(self, schedule: str, tab: int = 2) -> bool:
        """Replay a witness to its end, where what it witnesses shows (a witness is a schedule:
        ``LoadSchedule``, as in the TUI), and show the lanes (``tab`` 2) or, for a violation,
        the trace; the message line says where it stands and how to play it."""
        ok = self.set_schedule(schedule)
        if ok:
            self.tabs.selected_index = tab
            s = self.ctl.snapshot()
            broken = f", where {s.violations[0][0]} breaks" if s.violations else ""
            self.message.value = (
                f"<span class='kx'>witness <code>{render.esc(schedule)}</code> loaded to its end "
                f"(step {s.step}{render.esc(broken)}): <b>{self.btn_start.description}</b>, then "
                f"<b>{self.play.description}</b>, plays it from the start.</span>")
        return ok


def verdict_html(v: AnswerVerdict, shown: str = "") -> str:
    """The model's answer to a learner's pick, with the page's explanation; ``shown`` says where
    the model now shows it ('' when nothing moved)."""
    head = ("<span class='kx-ok'>✔ Right.</span>" if v.right else
            f"<span class='kx-bad'>✘ You said {render.esc(v.pick)}; the model says "
            f"{render.esc(v.truth)}.</span>")
    tail = f"<br><i>{render.esc(shown)}</i>" if shown else ""
    return (f"<div class='kx'>{head} {render.esc(v.explain)} <span class='kx-note'>Your answer "
            f"is locked (one answer a question).</span>{tail}</div>")


class PredictionWidget(W.VBox):  # type: ignore[misc]
    """Page ``index`` of ``lesson`` asks something: pick a choice, Check.

    Check applies the :class:`~explorer.views.intents.Answer` intent, as the TUI's 1–4 keys do:
    the model grades the pick, the answer is locked (one a question, kept in the XDG state
    directory with the TUI's) and the verdict shown. ``controller`` is the lesson's when the
    widget is part of a :class:`LessonWidget` (``run`` applies an intent there); alone (a
    narration cell) it has a controller of its own, made when first needed. An answer locked in
    any widget of the kernel locks this question too."""

    def __init__(self, lesson: LessonView, index: int, *, controller: Controller | None = None,
                 run: Callable[[it.Intent], object] | None = None) -> None:
        page = lesson.pages[index]
        pr = page.predict
        if pr is None:
            raise ValueError(f"{lesson.slug}: page {index + 1} asks nothing")
        self.lesson, self.index = lesson, index
        self._ctl = controller
        self._run = run
        self.question = _html(f"<div class='kx'><b>Predict:</b> {render.esc(pr.question)}</div>")
        self.choices = W.ToggleButtons(options=list(pr.choices), value=None)
        self.check = W.Button(description="Check", button_style="primary")
        self.result = _html()
        self.verdict: AnswerVerdict | None = None
        """The model's verdict on the locked answer (None: the question is open)."""
        self.check.on_click(lambda _b: self.check_answer())
        super().__init__(children=[_html(render.STYLE), self.question, self.choices, self.check,
                                   self.result])
        if controller is None:
            listen(self)
            if answer_store().get(lesson.slug, index, pr.question) is not None:
                self.answered(lesson.slug, index)  # answered before: show it locked

    @property
    def correct(self) -> bool | None:
        """Whether the locked answer is the model's (None: not answered)."""
        return None if self.verdict is None else self.verdict.right

    @property
    def ctl(self) -> Controller:
        """The controller that grades and locks (a widget alone makes its own when needed)."""
        if self._ctl is None:
            self._ctl = Controller(answers=answer_store(), lessons=shared_lessons())
        return self._ctl

    def _apply(self, intent: it.Intent) -> bool:
        if self._run is not None:
            return bool(self._run(intent))
        try:
            self.ctl.apply(intent)
        except ValueError as e:
            self.result.value = f"<span class='kx-msg'>⚠ {render.esc(e)}</span>"
            return False
        return True

    def _state(self) -> LessonState | None:
        """The lesson state of this page (None: the controller is elsewhere)."""
        st = self.ctl.snapshot().lesson if self._ctl is not None else None
        return st if st is not None and (st.slug, st.index) == (self.lesson.slug,
                                                                   self.index) else None

    def _open(self) -> LessonState | None:
        """Open this page in the widget's own controller (a locked answer opens graded)."""
        self._apply(it.OpenLesson(self.lesson.slug, self.index))
        return self._state()

    def check_answer(self) -> bool | None:
        """Answer with the choice picked; the verdict (None: nothing picked, or no verdict)."""
        if self.choices.value is None:
            self.result.value = "<span class='kx-msg'>pick a choice first</span>"
            return None
        pick = list(self.choices.options).index(self.choices.value)
        if self._run is not None:  # part of a lesson widget: it answers, and redraws this
            self._run(it.Answer(pick))
            return self.correct
        st = self._state() or self._open()
        if st is not None and st.verdict is None and self._apply(it.Answer(pick)):
            st = self._state()
            if st is not None and st.verdict is not None:
                announce(st.slug, st.index)
        self.show(self._state())
        return self.correct

    def show(self, state: LessonState | None, shown: str = "") -> None:
        """Draw ``state`` (this page's): open, or locked with the verdict."""
        v = state.verdict if state is not None else None
        self.verdict = v
        self.choices.disabled = self.check.disabled = v is not None
        if v is None:
            return
        if 0 <= v.index < len(self.choices.options):
            self.choices.value = self.choices.options[v.index]
        self.result.value = verdict_html(v, shown)

    def answered(self, slug: str, index: int) -> None:
        """A question was locked somewhere in the kernel: this one shows locked if it was it."""
        if (slug, index) == (self.lesson.slug, self.index) and self.verdict is None:
            st = self._state()  # answered here: the verdict is in; elsewhere: open it graded
            self.show(st if st is not None and st.verdict is not None else self._open())


STOP_NOTES = {
    "ask": "Predict first: pick a choice and Check. <b>next ▶</b> again goes on without "
           "answering.",
    "end": "End of this lesson: <b>next ▶</b> again opens lesson {number}: {title}.",
    "last": "That was the last lesson.",
    "first": "This is the first page of the lesson.",
    "asks_nothing": "This page asks nothing: <b>next ▶</b> turns the page.",
    "no_choice": "That choice is not one of this question's.",
    "locked": "Your answer is locked (one answer a question).",
}
"""The notebook's words for why a lesson intent did not move on
(:data:`explorer.views.snapshot.LESSON_STOPS`; the TUI words them with its keys)."""


class LessonWidget(W.VBox):  # type: ignore[misc]
    """A lesson's pages from the shared source, with prev/next and a live explorer.

    It drives the lesson intents the TUI's keys run (:class:`~explorer.views.intents.OpenLesson`,
    ``Command.PREV``/``NEXT``, ``Answer``, through ``Controller.apply``) and draws the snapshot's
    :class:`~explorer.views.snapshot.LessonState`: **next ▶** stops once on an open question
    (predict first; again goes on) and once on a last page (again opens the next lesson); an
    answer is locked and kept, and the explorer moves to the state that proves it. The model's
    view of a page that asks stays closed until its question is answered."""

    def __init__(self, lesson: LessonView, *, explorer: bool = True,
                 diagrams: bool = True) -> None:
        self.ctl = Controller(progress=progress_store(), answers=answer_store(),
                              lessons=shared_lessons())
        self.ctl.apply(it.OpenLesson(lesson.slug))
        state = self.ctl.snapshot().lesson
        assert state is not None
        self.lesson = lesson
        """The lesson on show (next ▶ past the last page opens the next one)."""
        self.title = _html()
        self.text = _html()
        self.predict_box = W.VBox()
        self.prediction: PredictionWidget | None = None
        self.prev = W.Button(description="◀ prev", tooltip="the previous page (TUI key ←)")
        self.next = W.Button(description="next ▶", tooltip="the next page (TUI key →)")
        self.back = W.Button(description="back to the lesson", button_style="info",
                             layout=W.Layout(display="none"))
        self.pos = _html()
        self.note = _html()
        self.explorer = (Explorer(self.ctl.scenario_name, controller=self.ctl, diagrams=diagrams,
                                  focus=state.page.focus) if explorer else None)
        self.locked = _html("<div class='kx kx-note'>The model's view of this page opens when "
                            "you Check your prediction: predict first, then see.</div>")
        self.revealed = False
        """Whether the model's view (the explorer) is on show."""
        self._page: tuple[str, int] | None = None
        self._verdict: AnswerVerdict | None = None
        self.prev.on_click(lambda _b: self.go(it.Command.PREV))
        self.next.on_click(lambda _b: self.go(it.Command.NEXT))
        self.back.on_click(lambda _b: self.go(it.OpenLesson(self.lesson.slug, self._index)))
        warning = self.ctl.answers.warning  # an unusable answers file, set aside: one line
        self.warning = _html(f"<div class='kx kx-msg'>⚠ {render.esc(warning)}</div>"
                             if warning else "")
        children = [_html(render.STYLE), self.warning, self.title,
                    W.HBox([self.prev, self.pos, self.next, self.back]), self.note,
                    self.text, self.predict_box, self.locked]
        if self.explorer is not None:
            children.append(self.explorer)
            self.explorer.on_change.append(self.render)
        super().__init__(children=children)
        listen(self)
        self.render()

    @property
    def index(self) -> int:
        """The page on show (0-based)."""
        return self._index

    _index = 0

    def show(self, index: int) -> bool:
        """Open page ``index`` (clamped), as the TUI's page picker does."""
        return self.go(it.GotoPage(index))

    def go(self, intent: it.Intent) -> bool:
        """Apply a lesson intent to the lesson's controller and redraw from its snapshot."""
        if self.explorer is not None:
            ok = self.explorer.run(intent, sync=True)  # it redraws this widget (on_change)
        else:
            try:
                self.ctl.apply(intent)
                ok = True
            except ValueError as e:
                self.note.value = f"<span class='kx-msg'>⚠ {render.esc(e)}</span>"
                return False
            self.render()
        st = self.ctl.snapshot().lesson
        if ok and isinstance(intent, it.Answer) and st is not None and st.verdict is not None \
                and not st.stop:
            announce(st.slug, st.index)
        return ok

    def _stop_note(self, st: LessonState) -> str:
        if not st.stop:
            return ""
        nxt = ""
        if st.stop == "end":
            lessons = self.ctl.lessons()
            k = [ls.slug for ls in lessons].index(st.slug)
            nxt = lessons[k + 1].title
        text = STOP_NOTES.get(st.stop, render.esc(st.note)).format(number=st.number + 1,
                                                                   title=render.esc(nxt))
        return f"<div class='kx kx-note'>{text}</div>"

    def render(self) -> None:
        """Draw the snapshot's lesson state: the page (when another opened), the prediction
        (open or locked), why an intent stopped, and the explorer (once the page may show it)."""
        st = self.ctl.snapshot().lesson
        if st is None:  # the explorer's menus picked another scenario: the lesson was left
            self.prev.disabled = self.next.disabled = True
            self.back.layout.display = None
            self.note.value = ("<div class='kx kx-note'>The explorer left the lesson (another "
                               "scenario or kernel was picked). <b>back to the lesson</b> "
                               f"reopens page {self._index + 1}.</div>")
            self._page, self._verdict = None, None
            self._reveal(True)
            return
        self.back.layout.display = "none"
        tab = None
        if self._page != (st.slug, st.index):
            self._show_page(st)
            self._page, self._verdict = (st.slug, st.index), None
            tab = st.panel
        if self.prediction is not None and st.verdict != self._verdict:
            self._verdict = st.verdict
            shown = (f"The explorer below now shows it (step {st.verdict.revealed_at}); ◀ steps "
                     "back through how it happened." if st.verdict is not None
                     and st.verdict.revealed_at >= 0 and self.explorer is not None else "")
            self.prediction.show(st, shown)
            if st.verdict is not None and st.verdict.revealed_at >= 0:
                tab = st.reveal_panel
        if tab is not None and self.explorer is not None:
            self.explorer.tabs.selected_index = TAB_OF_PANEL[tab]
        self.note.value = self._stop_note(st)
        self._reveal(st.page.predict is None or st.verdict is not None)

    def _show_page(self, st: LessonState) -> None:
        if self.ctl.lesson is not None:
            self.lesson = self.ctl.lesson
        self._index = st.index
        page = st.page
        self.title.value = (f"<div class='kx'><h3>{render.esc(st.title)}</h3>"
                            f"<h4>{st.index + 1}. {render.esc(page.title)}</h4></div>")
        self.pos.value = f"<span class='kx'>page {st.index + 1} of {st.count}</span>"
        banner = ("<div class='kx-banner'>⚠ WHAT-IF, NOT THE KERNEL: "
                  f"{render.esc(', '.join(page.variants))}</div>" if page.variants else "")
        self.text.value = f"<div class='kx'>{banner}{render.markdown(page.text)}</div>"
        self.prev.disabled = st.index == 0
        self.next.disabled = False
        self.prediction = (PredictionWidget(self.lesson, st.index, controller=self.ctl,
                                            run=self.go)
                           if page.predict is not None else None)
        self.predict_box.children = [self.prediction] if self.prediction else []

    def _reveal(self, on: bool) -> None:
        self.revealed = on
        self.locked.layout.display = "none" if on or self.explorer is None else None
        if self.explorer is not None:
            self.explorer.layout.display = None if on else "none"

    def answered(self, slug: str, index: int) -> None:
        """A question was locked elsewhere in the kernel: if it is this page's, reopen the page
        (it opens at its reveal, the answer graded)."""
        st = self.ctl.snapshot().lesson
        if st is not None and (st.slug, st.index) == (slug, index) and st.verdict is None:
            self.go(it.OpenLesson(slug, index))
