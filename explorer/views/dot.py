"""Graphviz DOT text for the diagrams: pointer graph, module state machine, heap tree, state graph.

Only text is made here (no Graphviz import): the notebook renders it with the ``graphviz``
package when the ``dot`` program exists, and shows this source with a hint when it does not.
"""

from __future__ import annotations

from explorer.views.controller import ExploreView
from explorer.views.heap import SYM_PLAY, SYM_ROOT, SYM_TAIL
from explorer.views.snapshot import ArrayView, Snapshot

PALETTE = ("#4c9a2a", "#d1495b", "#edae49", "#00798c", "#8d6a9f", "#30638e", "#ff8c42",
           "#6b818c")


def _q(s: object) -> str:
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _html(s: object) -> str:
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pointer_graph(snap: Snapshot, max_ids: int = 12) -> str:
    """``struct btf`` → ``kfunc_set_tab`` → cells → ID arrays (module cells into module memory)."""
    out = ["digraph pointers {", "  rankdir=LR;",
           '  node [shape=plaintext, fontname="monospace", fontsize=10];',
           '  edge [fontname="monospace", fontsize=9];']
    for tv in snap.tables:
        bid = f"btf_{tv.btf}"
        state = "published" if tv.published else "not published"
        tab = tv.tab or "NULL"
        out.append(f"  {_q(bid)} [label=<<table border='1' cellborder='0' cellspacing='0'>"
                   f"<tr><td bgcolor='#dddddd'><b>struct btf {_html(tv.btf)}</b></td></tr>"
                   f"<tr><td>{state}</td></tr>"
                   f"<tr><td port='tab'>kfunc_set_tab = {_html(tab)}</td></tr></table>>];")
        if tv.tab is None:
            continue
        tid = f"tab_{tv.btf}"
        rows = ["<tr><td bgcolor='#dddddd'></td>" + "".join(
            f"<td bgcolor='#dddddd'><b>{t}</b></td>" for t in ("CHECK", "ACQ", "REL", "NULL?"))
            + "<td bgcolor='#dddddd'>→</td></tr>"]
        for row in tv.rows:
            cells = [f"<td><b>{row[0].hook}</b></td>"]
            for c in row:
                port = f"{c.hook}_{c.type}"
                if c.addr is None:
                    cells.append(f"<td port='{port}'>NULL</td>")
                else:
                    color = "#ffe08a" if c.highlight else (
                        "#f4b6b6" if c.freed else "#cfe8ff" if c.region == "module" else "#d6f5d6")
                    cells.append(f"<td port='{port}' bgcolor='{color}'>{c.fill}</td>")
            # the row's pointers leave from this last column, so no edge crosses a cell
            outs = "".join(f"<td port='{c.hook}_{c.type}_out'>{c.type}</td>"
                           for c in row if c.addr is not None)
            cells.append("<td><table border='0' cellborder='0' cellspacing='0' cellpadding='1'>"
                         f"<tr>{outs}</tr></table></td>" if outs else "<td></td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        hl = " color='#d1495b'" if tv.highlight else ""
        out.append(f"  {_q(tid)} [label=<<table border='1' cellborder='1' cellspacing='0'{hl}>"
                   f"<tr><td colspan='6'><b>kfunc_set_tab {_html(tv.tab)}</b></td></tr>"
                   + "".join(rows) + "</table>>];")
        out.append(f"  {_q(bid)}:tab -> {_q(tid)};")
        drawn: set[str] = set()
        for row in tv.rows:
            for c in row:
                if c.addr is None:
                    continue
                aid = f"arr_{c.addr}"
                style = ", style=dashed" if c.region == "module" else ""
                out.append(f"  {_q(tid)}:{c.hook}_{c.type}_out:e -> {_q(aid)} "
                           f"[label=\"\"{style}];")
                if aid in drawn:
                    continue
                drawn.add(aid)
                ids = " ".join(str(i) for i in c.ids[:max_ids]) + (" …" if len(c.ids) > max_ids
                                                                    else "")
                where = ("module memory" if c.region == "module" else "kmalloc") + (
                    ", FREED" if c.freed else "")
                color = "#f4b6b6" if c.freed else "#cfe8ff" if c.region == "module" else "#d6f5d6"
                shared = ""
                if c.shared_with:
                    sharers = ", ".join((f"{c.hook}/{c.type}", *c.shared_with))
                    shared = (f"<tr><td><b>one array, {len(c.shared_with) + 1} cells:</b> "
                              f"{_html(sharers)}</td></tr>")
                out.append(f"  {_q(aid)} [label=<<table border='1' cellborder='0' "
                           f"cellspacing='0' bgcolor='{color}'><tr><td><b>{_html(c.addr)}</b> "
                           f"({where})</td></tr><tr><td>{_html(c.symbol)}</td></tr>"
                           f"<tr><td>cnt {c.cnt}: {_html(ids)}</td></tr>{shared}</table>>];")
    out.append("}")
    return "\n".join(out)


def module_state_machine(snap: Snapshot) -> str:
    """MODULE_STATE_* with the race window (BTF visible, not LIVE) shaded; current state bold."""
    mod = snap.modules[0] if snap.modules else None
    cur = mod.state if mod else ""
    if mod is not None and mod.freed:
        cur = "freed"
    out = ["digraph module {", "  rankdir=LR;", '  node [shape=box, style="rounded,filled", '
           'fontname="sans", fontsize=12, fillcolor="#ffffff"];',
           '  edge [fontname="sans", fontsize=11];']
    states = [("MODULE_STATE_UNFORMED", "UNFORMED"), ("MODULE_STATE_COMING", "COMING"),
              ("MODULE_STATE_LIVE", "LIVE"), ("MODULE_STATE_GOING", "GOING"), ("freed", "freed")]
    out.append('  subgraph cluster_window { label="race window: BTF visible, init running, '
               'not LIVE"; style=filled; color="#fde2c4";')
    out.append('    COMING_init [label="init: register_btf_kfunc_id_set()…", shape=note];')
    for key, label in states:
        if key == "MODULE_STATE_COMING":
            bold = ', penwidth=3, fillcolor="#ffe08a"' if cur == key else ""
            out.append(f"    {label} [label={_q(label)}{bold}];")
    out.append("  }")
    for key, label in states:
        if key == "MODULE_STATE_COMING":
            continue
        bold = ', penwidth=3, fillcolor="#ffe08a"' if cur == key else ""
        out.append(f"  {label} [label={_q(label)}{bold}];")
    out += [
        '  UNFORMED -> COMING [label="complete_formation\\nCOMING notifier: BTF published"];',
        "  COMING -> COMING_init [style=dotted];",
        '  COMING_init -> LIVE [label="init ok: LIVE notifier'
        + (' sets BTF_MODULE_F_LIVE"];' if mod is None or mod.has_live_flag
           else ' (no BTF_MODULE_F_LIVE yet)"];'),
        '  COMING_init -> GOING [label="init failed"];',
        '  GOING -> freed [label="free_module"];',
    ]
    if mod is not None:
        flag = (f"BTF_MODULE_F_LIVE {int(mod.live_flag)}" if mod.has_live_flag
                else f"no BTF_MODULE_F_LIVE in {snap.kernel}")
        info = f"{mod.name}: refcnt {mod.refcnt}, {flag}"
        out.append(f"  info [shape=plaintext, label={_q(info)}];")
    out.append("}")
    return "\n".join(out)


def heap_tree(arr: ArrayView) -> str:
    """The array as the implicit binary heap lib/sort.c sees: node i has children 2i+1, 2i+2.

    The phase and the last step's narration are the graph's label; nodes at or past ``n`` are
    the sorted tail (grey, ``✓``, dashed edges), ``a`` (being sifted) is ringed and marked ``▸``,
    the two in play are yellow (compared) or orange (swapped) and marked ``*x*``."""
    n = arr.heap_n if arr.heap_n >= 0 else len(arr.ids)
    head = f"{arr.phase_label.upper()}: " if arr.phase_label else ""
    label = f"{head}{arr.narration}" if arr.narration else head.rstrip(": ")
    out = ["digraph heap {", f"  label={_q(label + f'   (heap [0, {n}))')}; labelloc=t; "
           "fontname=\"sans\"; fontsize=11;",
           '  node [shape=circle, style=filled, fontname="monospace", fontsize=9, '
           'fillcolor="#ffffff"];']
    for i, v in enumerate(arr.ids):
        fill = "#dddddd" if i >= n else "#ffffff"
        text = f"{SYM_TAIL}{v}" if i >= n else str(v)
        ring = ""
        if i == arr.heap_a and arr.active and i < n:
            ring, text = ", penwidth=3", f"{SYM_ROOT}{v}"
        if i in (arr.i, arr.j):
            fill = "#ffe08a" if arr.op == "cmp" else "#f4a261"
            text = f"{SYM_PLAY}{v}{SYM_PLAY}"
        out.append(f'  n{i} [label="{text}\\n[{i}]", fillcolor="{fill}"{ring}];')
    for i in range(len(arr.ids)):
        for c in (2 * i + 1, 2 * i + 2):
            if c < len(arr.ids):
                style = " [style=dashed, color=\"#999999\"]" if c >= n else ""
                out.append(f"  n{i} -> n{c}{style};")
    out.append("}")
    return "\n".join(out)


OK_GREEN = "#4c9a2a"
ERROR_COLORS = ("#d1495b", "#edae49", "#8d6a9f", "#00798c", "#ff8c42", "#30638e", "#6b818c")
"""Outcome colours: green only where every thread ended OK; errors never green."""


def outcome_colors(ev: ExploreView) -> list[str]:
    """One colour per outcome of ``ev``: green for all-OK, distinct non-green ones otherwise."""
    out, k = [], 0
    for o in ev.outcomes:
        if all(v == "OK" for _, v in o.results):
            out.append(OK_GREEN)
        else:
            out.append(ERROR_COLORS[k % len(ERROR_COLORS)])
            k += 1
    return out


def _kept_states(ev: ExploreView, max_nodes: int) -> set[int]:
    """Which states to draw: all of them when they fit; else the start, every terminal and
    violating state with a shortest path to it from the start (one per outcome and violation
    first, so each witness shows), then the rest breadth first up to ``max_nodes``."""
    r = ev.raw
    n_states = 1 + max((max(a, b) for a, _, b in r.edges), default=0)
    if n_states <= max_nodes:
        return set(range(n_states))
    parent: dict[int, int] = {0: 0}
    order = [0]
    succ: dict[int, list[int]] = {}
    for a, _, b in r.edges:
        succ.setdefault(a, []).append(b)
    for a in order:  # breadth first: parent[] gives shortest paths
        for b in succ.get(a, ()):
            if b not in parent:
                parent[b] = a
                order.append(b)
    keep = {0}

    def add_path(x: int) -> None:
        while x not in keep and x in parent:
            keep.add(x)
            x = parent[x]

    rank = {x: k for k, x in enumerate(order)}
    firsts: dict[object, int] = {}
    for t in sorted(r.terminal, key=lambda t: rank.get(t, 1 << 60)):
        firsts.setdefault(("outcome", r.terminal[t]), t)
    for v in sorted(r.violating):
        firsts.setdefault(("violation", 0), v)
    for x in firsts.values():  # every witness path first
        add_path(x)
    for x in sorted(r.terminal) + sorted(r.violating):  # then every end state
        if len(keep) >= max_nodes:
            break
        add_path(x)
    for x in order:  # then the rest, breadth first
        if len(keep) >= max_nodes:
            break
        keep.add(x)
        add_path(x)
    return keep


def state_graph(ev: ExploreView, max_nodes: int = 400) -> str:
    """The explored state graph: terminal states coloured by outcome (green only for all-OK),
    violations outlined red. A large graph keeps the start, the terminal and violating states
    and the shortest path to each, and says how many states it left out. Node ``s<i>`` is
    explored state ``i``; its tooltip names the schedule that reaches it (a front loads that
    state on a click)."""
    r = ev.raw
    keep = _kept_states(ev, max_nodes)
    colors = outcome_colors(ev)
    out = ["digraph states {", "  rankdir=TB;", '  node [shape=point, width=0.08];',
           '  edge [arrowsize=0.4, color="#999999", fontname="sans", fontsize=10];']
    legend = []
    for k, o in enumerate(ev.outcomes):
        legend.append(f"<tr><td bgcolor='{colors[k]}'>  </td>"
                      f"<td>{_html(o.label)} ({o.count})</td></tr>")
    if r.violating:
        legend.append("<tr><td><font color='#d1495b'>◯</font></td>"
                      "<td>an invariant is violated</td></tr>")
    out.append("  legend [shape=plaintext, fontname=\"sans\", fontsize=11, "
               "label=<<table border='0'>" + "".join(legend) + "</table>>];")
    for i in sorted(keep):
        attrs = []
        if i in r.terminal:
            attrs += ["width=0.18", f'color="{colors[r.terminal[i] % len(colors)]}"',
                      "style=filled"]
        if i in r.violating:
            attrs += ['shape=circle', 'color="#d1495b"', 'width=0.12']
        if i == 0:
            attrs += ["shape=doublecircle", "width=0.15"]
        # the schedule that reaches it, on hover (a shortest one: rebuilt from parent pointers)
        attrs.append(f"tooltip={_q(f's{i}: ' + (r.schedule_to(i) or 'the start'))}")
        out.append(f"  s{i} [{', '.join(attrs)}];")
    for a, letter, b in r.edges:
        if a in keep and b in keep:
            out.append(f'  s{a} -> s{b} [label="{letter}"];')
    if r.states > len(keep):
        out.append(f'  more [shape=plaintext, fontname="sans", fontsize=11, '
                   f'label="… {r.states - len(keep)} more states not drawn (every end state '
                   'and the path to it are)"];')
    out.append("}")
    return "\n".join(out)
