"""HTML for the notebook displays, and Graphviz SVG (or the DOT source with a hint) for diagrams.

Everything here reads view models from :mod:`explorer.views.snapshot` and returns HTML text, so the
widgets stay thin and the tests can look at plain strings.
"""

from __future__ import annotations

import html
import shutil
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

from explorer.notebook import browser_graphviz
from explorer.views.controller import ExploreView
from explorer.views.heap import SYM_BOUNDARY, SYM_PLAY, SYM_ROOT, SYM_TAIL
from explorer.views.snapshot import (
    ArrayView,
    CellView,
    LaneView,
    Snapshot,
    TableView,
    flag_text,
)

GRAPHVIZ_HINT = "Graphviz's dot program is missing: install Graphviz (apt-get install graphviz)"

STYLE = """<style>
.kx { font-family: var(--jp-ui-font-family, sans-serif); font-size: 13px; }
.kx code, .kx pre, .kx .mono { font-family: var(--jp-code-font-family, monospace); }
.kx-banner { background: #d1495b; color: #fff; font-weight: bold; padding: 4px 8px;
  border-radius: 4px; margin: 2px 0; }
.kx-msg { color: #b00020; }
.kx-ok { color: #2e7d32; font-weight: bold; }
.kx-bad { color: #b00020; font-weight: bold; }
.kx-grid { border-collapse: collapse; margin: 4px 0 10px 0; }
.kx-grid td, .kx-grid th { border: 1px solid #999; padding: 3px 6px; vertical-align: top;
  font-size: 12px; }
.kx-grid th { background: #eee; color: #111; }
.kx-null { color: #999; }
.kx-ids { font-family: var(--jp-code-font-family, monospace); font-size: 10px;
  white-space: nowrap; margin-top: 2px; }
.kx-ids summary { cursor: pointer; }
.kx-fn { font-weight: bold; }
.kx-flags { font-style: italic; }
.kx-tables { overflow-x: auto; max-width: 100%; }
.kx-kmalloc { background: #d6f5d6; color: #111; }
.kx-module { background: #cfe8ff; color: #111; }
.kx-freed { background: #f4b6b6; color: #111; }
.kx-hl { outline: 3px solid #edae49; }
.kx-pending { border: 2px dashed #8d6a9f !important; }
.kx-arr { border-collapse: collapse; }
.kx-arr td { border: 1px solid #999; padding: 2px 4px; text-align: center; font-size: 11px;
  font-family: var(--jp-code-font-family, monospace); }
.kx-arr .idx { color: #777; border: none; font-size: 9px; }
.kx-tail { background: #e0e0e0; color: #111; }
.kx-boundary { font-weight: bold; color: #d1495b; padding: 0 2px; }
.kx-phase { background: #30638e; color: #fff; padding: 0 4px; border-radius: 3px;
            font-size: 11px; }
.kx-out { color: #bbb; }
.kx-range { background: #e8f1fb; color: #111; }
.kx-cmp { background: #ffe08a; color: #111; }
.kx-swap { background: #f4a261; color: #111; }
.kx-pivot { background: #ffe08a; color: #111; font-weight: bold; }
.kx-root { box-shadow: inset 0 0 0 2px #00798c; }
.kx-lanes { display: flex; gap: 12px; flex-wrap: wrap; }
.kx-lane { border: 1px solid #999; border-radius: 4px; padding: 4px; min-width: 320px;
  flex: 1 1 420px; }
.kx-lane pre { margin: 2px 0; font-size: 11px; white-space: pre; overflow-x: auto;
  word-break: normal; overflow-wrap: normal; tab-size: 4; }
.kx-cur { background: #ffe08a; color: #111; display: block; }
.kx-trace td { font-size: 11px; padding: 1px 6px; border-bottom: 1px solid #eee; }
.kx-broke td { background: #f4b6b6; color: #111; }
.kx-trace tr:hover td { background: rgba(237, 174, 73, 0.25); }
.kx-window span { display: inline-block; width: 4px; height: 14px; }
.kx-hint { color: #8a6d00; background: #fff8e1; padding: 2px 6px; }
.kx-note { color: #111; background: #e8f1fb; padding: 4px 8px; border-radius: 4px; }
.kx-diagram { overflow: auto; max-width: 100%; max-height: 75vh;
  border: 1px solid var(--jp-border-color2, #ddd); background: #fff; }
.kx-diagram svg { max-width: 100%; height: auto; }
.kx-zoom-actual .kx-diagram svg { max-width: none; }
.kx-zoom-double .kx-diagram svg { max-width: none; zoom: 2; }
.kx-stategraph svg g.node { cursor: pointer; }
.kx-stategraph svg g.kx-picked ellipse { stroke: #111; stroke-width: 3; }
</style>"""

_MD = MarkdownIt("commonmark")

# -- browser hooks ------------------------------------------------------------------------------
# ipywidgets' HTML widget sets innerHTML, so inline event handlers run (scripts do not). These
# few lines of browser JavaScript only touch the explorer's own DOM: they click its buttons or
# write a step number into its hidden jump box, so every state change still goes through the
# kernel's callbacks. Without them (another front end) the buttons, slider and schedule box work.

_EXPLORER_JS = "this.closest('.kx-explorer')"

KEYS_HOOK = (
    "<img alt='' src='data:,' style='display:none' onerror=\""
    f"var x={_EXPLORER_JS};if(!x||x.dataset.kxKeys)return;x.dataset.kxKeys=1;"
    "var mark=function(){window.kxActive=x};x.addEventListener('pointerdown',mark);"
    "x.addEventListener('focusin',mark);if(window.kxKeys)return;window.kxKeys=1;"
    "document.addEventListener('keydown',function(e){var t=e.target;"
    "if(!t.closest||t.closest('input,textarea,select,[contenteditable=true]'))return;"
    "var a=window.kxActive,y=t.closest('.kx-explorer')||(a&&a.isConnected?a:null);"
    "if(!y)return;"
    "var b=e.key==='ArrowLeft'?'.kx-back':e.key==='ArrowRight'?'.kx-step':null;"
    "if(!b)return;var btn=y.querySelector(b+' button, button'+b);"
    "if(btn&&!btn.disabled){btn.click();e.preventDefault();}});\">"
)
"""←/→ press the back / step button of the explorer last clicked (or focused), unless
the key goes to a text box or a code editor. The header re-renders every step, so the focus
cannot be relied on to stay inside the explorer."""


def copy_button(text: str) -> str:
    """A button that copies ``text`` to the clipboard (with a fallback for non-secure pages)."""
    return ("<button class='kx-copy jupyter-button' title='copy the schedule to the clipboard'"
            f" data-text='{esc(text)}' onclick=\"var b=this,s=b.dataset.text;"
            "function done(){b.textContent='copied ✔';setTimeout(function(){"
            "b.textContent='copy schedule'},1500)}"
            "function old(){var a=document.createElement('textarea');a.value=s;"
            "document.body.appendChild(a);a.select();document.execCommand('copy');a.remove();"
            "done()}if(navigator.clipboard&&window.isSecureContext){navigator.clipboard"
            ".writeText(s).then(done,old)}else{old()}\">copy schedule</button>")


def _jump_attr(step: int) -> str:
    """A trace row that jumps to ``step`` when clicked (via the explorer's hidden jump box)."""
    return (f" title='jump to step {step}' style='cursor:pointer' onclick=\""
            f"var i={_EXPLORER_JS}.querySelector('.kx-jump input');if(!i)return;"
            f"i.value='{step}';i.dispatchEvent(new Event('change',{{bubbles:true}}))\"")


_PICK_STATE_JS = (
    "var x=this.closest('.kx-explorer'),i=x&&x.querySelector('.kx-state input');if(!i)return;"
    "var best=null,bd=400;this.querySelectorAll('g.node').forEach(function(g){"
    "var t=g.querySelector('title');if(!t||!/^s[0-9]+$/.test(t.textContent))return;"
    "var r=g.getBoundingClientRect(),dx=r.left+r.width/2-event.clientX,"
    "dy=r.top+r.height/2-event.clientY,d=dx*dx+dy*dy;if(d<bd){bd=d;best=g}});"
    "if(!best)return;this.querySelectorAll('.kx-picked').forEach(function(g){"
    "g.classList.remove('kx-picked')});best.classList.add('kx-picked');"
    "i.value=best.querySelector('title').textContent.slice(1);"
    "i.dispatchEvent(new Event('change',{bubbles:true}))"
)
"""A click in the state graph picks the node nearest to it (within 20 px: the nodes are points)
and writes its state number into the explorer's hidden state box; the kernel loads that state."""


def state_graph_html(rendered: Rendered) -> str:
    """The explored state graph as the explorer shows it: a click on a node loads that state."""
    if rendered.svg is None:
        return rendered.html()
    return ("<div class='kx kx-note'>Click a state to load it: the explorer replays a shortest "
            "schedule that reaches it (hover a state to see that schedule).</div>"
            f"<div class='kx-stategraph' onclick=\"{_PICK_STATE_JS}\">{rendered.html()}</div>")


def esc(s: object) -> str:
    return html.escape(str(s), quote=True)


def markdown(text: str) -> str:
    """Lesson narration (Markdown) as HTML."""
    return str(_MD.render(text))


def banners_html(snap: Snapshot) -> str:
    return "".join(f"<div class='kx-banner'>⚠ {esc(b)}</div>" for b in snap.banners)


def header_html(snap: Snapshot) -> str:
    outcome = ", ".join(f"{k} {v}" for k, v in snap.outcome)
    state = ("finished: " + outcome) if snap.terminal else (
        f"runnable: {', '.join(snap.runnable) or 'none'}" + (f"; so far: {outcome}" if outcome
                                                             else ""))
    where = [snap.scenario] + ([snap.options] if snap.options != "kernel" else []) + [
        f"Linux {snap.kernel}"]
    return (f"<div class='kx' tabindex='0' title='click here, then ←/→ step back/forward'>"
            f"<b>{esc(snap.title)}</b> <span class='mono'>"
            f"[{esc(', '.join(where))}]</span><br>"
            f"step {snap.step} of {snap.length} · schedule <code>{esc(snap.schedule or '-')}"
            f"</code> · {esc(state)}</div>{banners_html(snap)}")


# -- the table --------------------------------------------------------------------------------


def _cell_html(c: CellView, max_ids: int) -> str:
    cls = []
    if c.highlight:
        cls.append("kx-hl")
    if c.pending:
        cls.append("kx-pending")
    if c.addr is None:
        return f"<td class='kx-null {' '.join(cls)}'>NULL</td>"
    cls.append("kx-freed" if c.freed else "kx-module" if c.region == "module" else "kx-kmalloc")
    where = "module memory" if c.region == "module" else c.region or "?"
    freed = " <b>FREED</b>" if c.freed else ""
    hl = f" <i>({esc(c.highlight)})</i>" if c.highlight else ""
    shared = (f"<br><b>same array as</b> {esc(', '.join(c.shared_with))}"
              if c.shared_with else "")
    return (f"<td class='{' '.join(cls)}' title='{esc(c.symbol)}'><span class='mono'>"
            f"{esc(c.addr)}</span>{freed}{hl}{shared}<br>{esc(where)}, cnt {c.fill}"
            f"{ids_html(c, max_ids)}</td>")


def ids_html(c: CellView, max_ids: int = 8) -> str:
    """A cell's IDs, one a line with the kfunc each names (and its KF_* flags on 6.17): the
    first ``max_ids`` shown, the rest behind a "more" toggle, so a full cell can be read."""
    flags = c.flags or (0,) * len(c.ids)
    lines = [f"{i}" + (f" <span class='kx-fn'>{esc(n)}</span>" if n else "")
             + (f" <span class='kx-flags'>{esc(flag_text(f))}</span>" if f else "")
             for (i, n), f in zip(c.labelled(), flags, strict=False)]
    shown = "<br>".join(lines[:max_ids])
    rest = (f"<details><summary>{len(lines) - max_ids} more</summary>"
            + "<br>".join(lines[max_ids:]) + "</details>" if len(lines) > max_ids else "")
    return f"<div class='kx-ids'>{shown}{rest}</div>" if lines else ""


def table_html(tv: TableView, max_ids: int = 8) -> str:
    pub = "published" if tv.published else "not published"
    kind = "module BTF" if tv.is_module else "vmlinux BTF"
    tab = f"<code>{esc(tv.tab)}</code>" if tv.tab else "<b>NULL</b>"
    hl = f" <i>({esc(tv.highlight)})</i>" if tv.highlight else ""
    pend = (f" <span class='kx-pending'>store pending: {esc(tv.pending_tab)}</span>"
            if tv.pending_tab else "")
    head = (f"<div><b>struct btf {esc(tv.btf)}</b> ({kind}, {pub}): "
            f"kfunc_set_tab = {tab}{hl}{pend}</div>")
    if tv.tab is None:
        return head
    if tv.kernel != "5.18":
        return head + _set8_html(tv, max_ids)
    types = [c.type for c in tv.rows[0]] if tv.rows else []
    rows = ["<tr><th>hook \\ type</th>" + "".join(f"<th>{esc(t)}</th>" for t in types) + "</tr>"]
    for row in tv.rows:
        rows.append(f"<tr><th>{esc(row[0].hook)}</th>"
                    + "".join(_cell_html(c, max_ids) for c in row) + "</tr>")
    return head + "<table class='kx-grid'>" + "".join(rows) + "</table>"


def _set8_html(tv: TableView, max_ids: int) -> str:
    """A 6.17 table: one btf_id_set8 a hook; IDs with their KF_* flags; the hook's filters."""
    rows = ["<tr><th>hook</th><th>btf_id_set8 (ID kfunc KF_* flags)</th><th>filters</th></tr>"]
    shown, empty = tv.set8_rows()
    for c, flt in shown:
        if c.is_null:
            cell = "<td class='kx-null'>NULL</td>"
        else:
            cls = "kx-freed" if c.freed else "kx-kmalloc"
            hl = f" <i>({esc(c.highlight)})</i>" if c.highlight else ""
            cell = (f"<td class='{cls}' title='{esc(c.symbol)}'><span class='mono'>"
                    f"{esc(c.addr or '')}</span>{hl} cnt {c.cnt}/{c.limit}"
                    f"{ids_html(c, max_ids)}</td>")
        rows.append(f"<tr><th>{esc(c.hook)}</th>{cell}<td>{esc(', '.join(flt))}</td></tr>")
    tail = f"<div class='mono'>NULL: {esc(', '.join(empty))}</div>" if empty else ""
    return "<table class='kx-grid'>" + "".join(rows) + "</table>" + tail


def kfunc_lists_html(snap: Snapshot) -> str:
    """v5.16: each ``kfunc_btf_id_list`` and the module sets on it, head first (its
    ``struct btf`` has no ``kfunc_set_tab``: this series added it)."""
    out = []
    for kl in snap.kfunc_lists:
        items = "".join(f"<li><code>{esc(sym)}</code>: {esc(', '.join(k) or '(no IDs)')}</li>"
                        for sym, k in kl.sets) or f"<li><i>{esc(kl.EMPTY)}</i></li>"
        out.append(f"<div><b>{esc(kl.name)}</b> ({esc(kl.KIND)})</div><ul>{items}</ul>")
    if out:
        out.append(f"<div><i>{esc(snap.kfunc_lists[0].NOTE)}</i></div>")
    return "".join(out)


def tables_html(snap: Snapshot) -> str:
    return ("<div class='kx kx-tables'>" + "".join(table_html(t) for t in snap.tables)
            + kfunc_lists_html(snap) + "</div>")


# -- the array being sorted or searched --------------------------------------------------------


def array_html(arr: ArrayView | None) -> str:
    if arr is None:
        return ("<div class='kx'><i>No sort or bsearch has run yet at this step (or its array "
                "was freed).</i></div>")
    idx, vals = [], []
    n = arr.heap_n if arr.heap_n >= 0 else len(arr.ids)
    for k, v in enumerate(arr.ids):
        cls = []
        text = str(v)
        if arr.kind == "sort":
            if k == n and 0 < n < len(arr.ids):  # the heap boundary, as a symbol too
                idx.append("<td class='idx'></td>")
                vals.append(f"<td class='kx-boundary' title='heap boundary n = {n}'>"
                            f"{SYM_BOUNDARY}</td>")
            if k >= n:
                cls.append("kx-tail")
                text = SYM_TAIL + text
            if k == arr.heap_a and arr.active and k < n:
                cls.append("kx-root")
                text = SYM_ROOT + text
            if k in (arr.i, arr.j):
                cls.append("kx-swap" if arr.op == "swap" else "kx-cmp")
                text = f"{SYM_PLAY}{v}{SYM_PLAY}"
        else:
            in_range = arr.base <= k < arr.base + max(arr.num, 0)
            if in_range:
                cls.append("kx-range")
            if k == arr.pivot:
                cls.append("kx-pivot")
                text = f"{SYM_PLAY}{v}{SYM_PLAY}"
            if v == arr.key:
                cls.append("kx-root")
        idx.append(f"<td class='idx'>{k}</td>")
        vals.append(f"<td class='{' '.join(cls)}'>{esc(text)}</td>")
    phase = (f"<span class='kx-phase'>{esc(arr.phase_label.upper())}</span> "
             if arr.phase_label else "")
    narr = f"<div>{phase}{esc(arr.narration or '—')}</div>"
    if arr.kind == "sort":
        info = (f"sort() of <code>{esc(arr.label)}</code>: {len(arr.ids)} IDs, heap [0, "
                f"{arr.heap_n}), a = {arr.heap_a}; last op {esc(arr.op or '-')} "
                f"[{arr.i}, {arr.j}]; {arr.comparisons} comparisons, {arr.swaps} swaps")
        legend = (f"{SYM_PLAY}x{SYM_PLAY} yellow: compared, orange: swapped; {SYM_ROOT} ring: "
                  f"element being sifted (a); {SYM_BOUNDARY}: heap boundary n; {SYM_TAIL} grey: "
                  "sorted tail (≥ n)")
    else:
        found = "" if arr.found is None else ("; <b>found</b>" if arr.found else
                                              "; <b>not found</b>")
        info = (f"bsearch for key <b>{arr.key}</b> in <code>{esc(arr.label)}</code>: base "
                f"{arr.base}, num {arr.num}, pivot {arr.pivot}; {arr.comparisons} probes{found}")
        legend = (f"blue: the range still searched, {SYM_PLAY}x{SYM_PLAY} yellow: pivot probed, "
                  "ring: the key's position")
    return (f"<div class='kx'><div>{info} <i>({esc(arr.note)})</i></div>{narr}"
            f"<table class='kx-arr'><tr>{''.join(idx)}</tr><tr>{''.join(vals)}</tr></table>"
            f"<div style='font-size:11px;color:#666'>{legend}</div></div>")


# -- lanes, modules, trace --------------------------------------------------------------------


def lane_html(lane: LaneView) -> str:
    if lane.done:
        status = f"<span class='kx-ok'>done: {esc(lane.result)}</span>"
    elif lane.runnable:
        status = "<span class='kx-ok'>runnable</span>"
    else:
        status = f"<span class='kx-bad'>{esc(lane.blocked_reason or 'blocked')}</span>"
    code = []
    for k, ln in enumerate(lane.lines):
        text = esc(ln) or " "
        code.append(f"<span class='kx-cur'>{text}</span>" if k == lane.line else text + "\n")
    stack = " → ".join(esc(f) for f in lane.stack)
    vars_ = ", ".join(f"{esc(k)} = {esc(v)}" for k, v in lane.vars)
    where = f"<code>{esc(lane.func)}</code> <i>{esc(lane.file)}</i>" if lane.func else ""
    return (f"<div class='kx-lane'><b>{esc(lane.letter)}</b> {esc(lane.name)} "
            f"<i>({esc(lane.kind)})</i>: {status}<br>{where}"
            f"<div style='font-size:11px;color:#666'>{esc(lane.doc)}</div>"
            + (f"<div style='font-size:11px'>stack: {stack}</div>" if stack else "")
            + (f"<pre>{''.join(code)}</pre>" if code else "")
            + (f"<div class='mono' style='font-size:11px'>{vars_}</div>" if vars_ else "")
            + "</div>")


def lanes_html(snap: Snapshot) -> str:
    return ("<div class='kx'><div class='kx-lanes'>" + "".join(lane_html(ln) for ln in snap.lanes)
            + "</div></div>")


_WINDOW = {"0": ("#cccccc", "module not formed / BTF not published"),
           "1": ("#f4a261", "race window: BTF published, not LIVE"),
           "2": ("#4c9a2a", "LIVE"), "3": ("#d1495b", "GOING / freed")}


def modules_html(snap: Snapshot) -> str:
    if not snap.modules:
        return "<div class='kx'><i>No modules in this scenario.</i></div>"
    rows = []
    for m in snap.modules:
        rows.append(f"<tr><td>{esc(m.name)}</td><td>{esc(m.state)}</td><td>{m.refcnt}</td>"
                    f"<td>{'yes' if m.btf_published else 'no'}</td>"
                    f"<td>{('set' if m.live_flag else 'clear') if m.has_live_flag else 'n/a'}"
                    "</td>"
                    f"<td>{'<b>OPEN</b>' if m.in_window else 'closed'}</td>"
                    f"<td>{'<b>yes</b>' if m.freed else 'no'}</td></tr>")
    strip = []
    for i, code in snap.window:
        color, label = _WINDOW.get(code, ("#fff", "?"))
        mark = ";outline:2px solid #000" if i == snap.step else ""
        strip.append(f"<span title='step {i}: {esc(label)}' style='background:{color}{mark}'>"
                     "</span>")
    legend = " ".join(f"<span style='background:{c};padding:0 6px'></span> {esc(lbl)}"
                      for c, lbl in _WINDOW.values())
    return ("<div class='kx'><table class='kx-grid'><tr><th>module</th><th>state</th>"
            "<th>refcnt</th><th>BTF published</th><th>BTF_MODULE_F_LIVE</th>"
            "<th>race window</th><th>freed</th></tr>" + "".join(rows) + "</table>"
            f"<div>window over the timeline (step 0…{snap.length}, current outlined):</div>"
            f"<div class='kx-window'>{''.join(strip)}</div>"
            f"<div style='font-size:11px'>{legend}</div></div>")


def trace_html(snap: Snapshot, tail: int = 30,
               broken: tuple[int, str, str] | None = None) -> str:
    """The last ``tail`` steps; ``broken`` (step, invariant, message): the step that first broke
    an invariant, marked in the table and named above it."""
    rows = []
    shown = snap.trace[-tail:]
    if broken is not None and shown and broken[0] < shown[0].index:
        shown = tuple(t for t in snap.trace if t.index == broken[0]) + shown
    for t in shown:
        res = f" ⇒ <b>{esc(t.finished)}</b>" if t.finished else ""
        mark = broken is not None and t.index == broken[0]
        flag = f" <b class='kx-bad'>⚠ breaks {esc(broken[1])}</b>" if mark and broken else ""
        rows.append(f"<tr{' class=kx-broke' if mark else ''}{_jump_attr(t.index)}>"
                    f"<td>{t.index}</td>"
                    f"<td><b>{esc(t.letter)}</b></td>"
                    f"<td class='mono'>{esc(t.func)}:{esc(t.pc)}</td>"
                    f"<td class='mono'>{esc(t.summary)}{res}{flag}</td></tr>")
    viol = "".join(f"<div class='kx-bad'>invariant {esc(n)}: {esc(m)}</div>"
                   for n, m in snap.violations)
    if broken is not None:
        viol += (f"<div class='kx-bad'>⚠ step {broken[0]} is where invariant "
                 f"<b>{esc(broken[1])}</b> first breaks: {esc(broken[2])}</div>")
    if not rows:
        return "<div class='kx'><i>Nothing has run yet.</i>" + viol + "</div>"
    return ("<div class='kx'>" + viol + f"<div>last {len(rows)} of {snap.step} steps "
            "(click a row to jump to it)</div>"
            "<table class='kx-trace'>" + "".join(rows) + "</table></div>")


def explore_html(ev: ExploreView) -> str:
    done = "complete" if ev.complete else "INCOMPLETE (cancelled or limit reached)"
    def wit(w: str, hidden: str) -> str:
        return f"<i>{esc(hidden)}</i>" if hidden else f"<code>{esc(w)}</code>"

    rows = "".join(f"<tr><td>{esc(o.label)}</td><td>{o.count}</td>"
                   f"<td>{wit(o.witness, o.hidden)}</td></tr>" for o in ev.outcomes)
    vh = ev.hidden or ("",) * len(ev.violations)
    viol = "".join(f"<tr><td class='kx-bad'>{esc(n)}</td><td>{esc(m)}</td><td>{c}</td>"
                   f"<td>{wit(w, h)}</td></tr>"
                   for (n, m, c, w), h in zip(ev.violations, vh, strict=True))
    vt = ("<div><b>invariant violations</b></div><table class='kx-grid'><tr><th>invariant</th>"
          "<th>message</th><th>states</th><th>witness</th></tr>" + viol + "</table>"
          if viol else "<div class='kx-ok'>invariants: all hold in every state</div>")
    return (f"<div class='kx'><div>{esc(ev.scenario)} ({esc(ev.options)}): {ev.states} states, "
            f"{ev.transitions} transitions, {ev.seconds:.3f} s, {done}</div>"
            "<table class='kx-grid'><tr><th>outcome</th><th>terminal states</th>"
            f"<th>witness schedule</th></tr>{rows}</table>{vt}</div>")


# -- diagrams ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered diagram: ``svg`` when Graphviz ran, else None and a one-line ``hint``."""

    source: str
    svg: str | None
    hint: str = ""

    def html(self) -> str:
        if self.svg is not None:
            return f"<div class='kx-diagram'>{self.svg}</div>"
        return (f"<div class='kx'><div class='kx-hint'>{esc(self.hint)}</div>"
                f"<details open><summary>DOT source</summary><pre>{esc(self.source)}</pre>"
                "</details></div>")


def dot_available() -> bool:
    return shutil.which("dot") is not None


def _strip_prolog(svg: str) -> str:
    k = svg.find("<svg")
    return svg[k:] if k >= 0 else svg


@lru_cache(maxsize=256)
def render_dot(source: str) -> Rendered:
    """DOT text as inline SVG: ``dot`` (through the ``graphviz`` package) where it exists,
    Graphviz in WebAssembly in the browser (:mod:`explorer.notebook.browser_graphviz`);
    otherwise the DOT source with a one-line hint."""
    if browser_graphviz.in_browser() and not dot_available():
        svg, hint = browser_graphviz.render_svg(source)
        return Rendered(source, None, hint) if svg is None else Rendered(source,
                                                                          _strip_prolog(svg))
    if not dot_available():
        return Rendered(source, None, GRAPHVIZ_HINT)
    try:
        import graphviz
    except ImportError:
        return Rendered(source, None, "the graphviz Python package is missing: "
                        "pip install graphviz")
    try:
        svg = graphviz.Source(source).pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound:
        return Rendered(source, None, GRAPHVIZ_HINT)
    except graphviz.CalledProcessError as e:
        first = (str(e.stderr or e).strip().splitlines() or ["?"])[0]
        return Rendered(source, None, f"dot failed: {first}")
    return Rendered(source, _strip_prolog(str(svg)))


# In JupyterLite: load Graphviz while the first cells run; forget the "loading" hints once it is in.
browser_graphviz.start()
browser_graphviz.when_ready(render_dot.cache_clear)


class HtmlOut:
    """HTML as a notebook output."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_html_(self) -> str:
        return self.text


class MarkdownOut:
    """Markdown as a notebook output (JupyterLab renders it like a Markdown cell)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


class Diagram:
    """A diagram as a notebook output: inline SVG, or the DOT source with a hint."""

    def __init__(self, source: str, title: str = "") -> None:
        self.source = source
        self.title = title

    @property
    def rendered(self) -> Rendered:
        return render_dot(self.source)

    def _repr_html_(self) -> str:
        t = f"<div class='kx'><b>{esc(self.title)}</b></div>" if self.title else ""
        return STYLE + t + self.rendered.html()

    def __repr__(self) -> str:
        return f"Diagram({self.title or 'graphviz'}, {len(self.source)} chars of DOT)"
