"""ipywidgets to play with: the sort lab (your own IDs, step by step, with the heap tree)
and the challenges (you are the scheduler), both over :mod:`explorer.views`.

Bad input never raises out of a callback: it shows as one line and what was there stays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as W

from explorer.notebook import render
from explorer.notebook.answers import progress_store
from explorer.notebook.widgets import Explorer
from explorer.views import dot
from explorer.views.challenges import ChallengeState, ProgressStore, challenge_views
from explorer.views.controller import Controller
from explorer.views.heap import SortLab


def _html(value: str = "") -> W.HTML:
    return W.HTML(value=value)


def _msg(text: str) -> str:
    return f"<span class='kx-msg'>⚠ {render.esc(text)}</span>" if text else ""


class SortLabWidget(W.VBox):  # type: ignore[misc]
    """Type IDs (and a key): lib/sort.c's heapsort of them, then bsearch, one event a step."""

    def __init__(self, ids: str = "5 3 9 1 7", key: str = "", *, diagrams: bool = True) -> None:
        self.diagrams = diagrams
        self.lab = SortLab.from_text(ids, key)
        self.ids_box = W.Text(value=ids, description="IDs", placeholder="e.g. 5 3 9 1 7",
                              layout=W.Layout(width="460px"))
        self.key_box = W.Text(value=key, description="key", placeholder="optional",
                              layout=W.Layout(width="200px"))
        self.btn_sort = W.Button(description="sort", button_style="primary",
                                 tooltip="sort these IDs with the kernel's heapsort")
        self.btn_start = W.Button(description="start", icon="fast-backward")
        self.btn_back = W.Button(description="◀ back")
        self.btn_step = W.Button(description="step ▶")
        self.btn_end = W.Button(description="end", icon="fast-forward")
        self.slider = W.IntSlider(value=0, min=0, max=1, description="step",
                                  layout=W.Layout(width="420px"))
        self.btn_register = W.Button(
            description="register as my cell",
            tooltip="a (hypothetical) built-in set: boot concatenates it with bpf_tcp_ca's in "
                    "vmlinux's [STRUCT_OPS][CHECK] and sorts; a verifier bsearches the key")
        self.message = _html()
        self.status = _html()
        self.array_html = _html()
        self.heap_svg = _html()
        self.cell_box = W.VBox()
        self.cell_explorer: Explorer | None = None
        self._busy = False
        self.btn_sort.on_click(lambda _b: self.load(self.ids_box.value, self.key_box.value))
        self.btn_start.on_click(lambda _b: self.goto(0))
        self.btn_back.on_click(lambda _b: self.goto(self.lab.cursor - 1))
        self.btn_step.on_click(lambda _b: self.goto(self.lab.cursor + 1))
        self.btn_end.on_click(lambda _b: self.goto(self.lab.length))
        self.slider.observe(self._on_slider, names="value")
        self.btn_register.on_click(lambda _b: self.register())
        super().__init__([
            _html(render.STYLE),
            W.HBox([self.ids_box, self.key_box, self.btn_sort]),
            self.message,
            W.HBox([self.btn_start, self.btn_back, self.btn_step, self.btn_end, self.slider]),
            self.status, self.array_html, self.heap_svg, self.btn_register, self.cell_box])
        self.refresh()

    def load(self, ids: str, key: str = "") -> bool:
        """Sort new input; on bad input show one line and keep the lab as it was."""
        try:
            lab = SortLab.from_text(ids, key)
        except ValueError as e:
            self.message.value = _msg(str(e))
            return False
        self.message.value = ""
        self.lab = lab
        self.refresh()
        return True

    def goto(self, n: int) -> None:
        self.lab.jump(max(0, min(n, self.lab.length)))
        self.refresh()

    def _on_slider(self, change: dict[str, Any]) -> None:
        if not self._busy:
            self.goto(int(change["new"]))

    def refresh(self) -> None:
        arr, step = self.lab.frame(), self.lab.cursor
        self._busy = True
        try:
            self.slider.max = max(1, self.lab.length)
            self.slider.value = step
        finally:
            self._busy = False
        self.btn_back.disabled = self.btn_start.disabled = step == 0
        self.btn_step.disabled = self.btn_end.disabled = step == self.lab.length
        key = f", key {self.lab.key}" if self.lab.key is not None else ""
        self.status.value = (f"<div class='kx'>step {step} of {self.lab.length} "
                             f"({len(self.lab.ids)} IDs{key})</div>")
        self.array_html.value = render.array_html(arr)
        self.heap_svg.value = (render.render_dot(dot.heap_tree(arr)).html()
                               if self.diagrams and arr.kind == "sort" else "")

    def register(self) -> bool:
        """Open a live explorer of your IDs registered as a built-in vmlinux set."""
        ctl = Controller()
        try:
            ctl.load_custom(self.ids_box.value, self.key_box.value)
        except ValueError as e:
            self.message.value = _msg(str(e))
            return False
        self.message.value = ""
        self.cell_explorer = Explorer(controller=ctl, focus="table", diagrams=self.diagrams)
        self.cell_box.children = [self.cell_explorer]
        return True


class _PlayExplorer(Explorer):
    """An explorer that tells its owner after every redraw (so the goal can be judged)."""

    on_refresh: Callable[[], object] | None = None

    def refresh(self, clear_message: bool = True, keep_input: bool = False) -> None:
        super().refresh(clear_message, keep_input)
        if self.on_refresh is not None:
            self.on_refresh()


def state_html(st: ChallengeState | None, note: str = "") -> str:
    if st is None:
        return (f"<div class='kx'><i>No challenge is being played.</i> {render.esc(note)}</div>")
    color = {"won": "#4c9a2a", "lost": "#d1495b", "open": "#30638e"}[st.status]
    head = {"won": "✔ WON", "lost": "✘ lost", "open": "… playing"}[st.status]
    c = st.challenge
    nk = " <b style='color:#d1495b'>NOT THE KERNEL</b>" if c.not_kernel else ""
    explain = (f"<div><i>{render.esc(' '.join(c.explain.split()))}</i></div>"
               if st.status == "won" else "")
    again = ("<div>Step back (◀ back or the slider) and choose differently.</div>"
             if st.status == "lost" else "")
    return (f"<div class='kx'><div><b>{render.esc(c.title)}</b> "
            f"[{render.esc(c.scenario)}, {render.esc(c.options_label)}]{nk}</div>"
            f"<div>{render.esc(' '.join(c.goal_text.split()))}</div>"
            f"<div style='color:{color}'><b>{head}</b> {render.esc(st.summary)}</div>"
            f"{explain}{again}<div>{render.esc(note)}</div></div>")


class ChallengeWidget(W.VBox):  # type: ignore[misc]
    """Pick a challenge, play it on a live explorer; the goal is judged after every step."""

    def __init__(self, name: str | None = None, *, diagrams: bool = False,
                 progress: ProgressStore | None = None) -> None:
        self.store = progress or progress_store()  # the kernel's one (explorers read it)
        self.views = challenge_views()
        self.picker = W.Dropdown(options=self._options(), description="challenge",
                                 layout=W.Layout(width="640px"))
        self.btn_play = W.Button(description="play", button_style="primary")
        self.btn_hint = W.Button(description="hint")
        self.btn_give_up = W.Button(description="give up", button_style="warning",
                                    tooltip="load a shortest winning schedule to step through")
        self.warning = _html(_msg(self.store.warning))
        self.state = _html()
        self.note = ""
        self.ctl = Controller(self.views[0].scenario, progress=self.store)
        self.explorer = _PlayExplorer(controller=self.ctl, focus="lanes", diagrams=diagrams)
        self.explorer.on_refresh = self.update
        self.btn_play.on_click(lambda _b: self.play(str(self.picker.value)))
        self.btn_hint.on_click(lambda _b: self.hint())
        self.btn_give_up.on_click(lambda _b: self.give_up())
        super().__init__([_html(render.STYLE), self.warning,
                          W.HBox([self.picker, self.btn_play, self.btn_hint, self.btn_give_up]),
                          self.state, self.explorer])
        if name is not None:
            self.picker.value = name
            self.play(name)
        else:
            self.update()

    def _options(self) -> list[tuple[str, str]]:
        return [(f"{v.title}  [{v.scenario}, {v.options_label}]  ({self.store.get(v.name).status})",
                 v.name) for v in self.views]

    def play(self, name: str) -> bool:
        try:
            self.ctl.start_challenge(name)
        except ValueError as e:
            self.note = str(e)
            self.update()
            return False
        self.note = ""
        self.explorer.refresh()
        return True

    def update(self) -> ChallengeState | None:
        st = self.ctl.challenge_state()
        self.btn_hint.disabled = self.btn_give_up.disabled = st is None
        if st is not None and st.just_decided:
            value = self.picker.value
            self.picker.options = self._options()
            self.picker.value = value
        self.state.value = state_html(st, self.note)
        return st

    def hint(self) -> str:
        st = self.ctl.challenge_state()
        self.note = "hint: " + " ".join(st.challenge.hint.split()) if st is not None else ""
        self.update()
        return self.note

    def give_up(self) -> str:
        try:
            sched = self.ctl.give_up()
        except ValueError as e:
            self.note = str(e)
            self.update()
            return ""
        self.note = (f"given up: a shortest win is {sched}, loaded at step 0: step through it"
                     if sched else "given up")
        value = self.picker.value
        self.picker.options = self._options()
        self.picker.value = value
        self.explorer.refresh()
        return sched
