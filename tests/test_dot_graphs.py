"""The Graphviz diagrams: what the explored state graph keeps, outcome colours, pointer edges."""

from __future__ import annotations

import re

from explorer.views import dot
from explorer.views.controller import Controller


def _explore(scenario: str, variants: tuple[str, ...] = ()) -> tuple[Controller, object]:
    ctl = Controller(scenario)
    ctl.load(scenario, variants)
    return ctl, ctl.explore(keep_graph=True)


def test_state_graph_keeps_every_terminal_state_and_its_path_when_cut() -> None:
    _ctl, ev = _explore("module_race")
    r = ev.raw  # type: ignore[attr-defined]
    assert r.states > 400  # big enough to be cut
    src = dot.state_graph(ev, max_nodes=400)  # type: ignore[arg-type]
    drawn = {int(x) for x in re.findall(r"^  s(\d+)\b", src, flags=re.M)}
    assert set(r.terminal) <= drawn, "every terminal state is drawn"
    edges = {(int(a), int(b)) for a, b in re.findall(r"s(\d+) -> s(\d+)", src)}
    reach = {0}
    frontier = [0]
    while frontier:
        a = frontier.pop()
        for x, b in edges:
            if x == a and b not in reach:
                reach.add(b)
                frontier.append(b)
    assert set(r.terminal) <= reach, "each terminal state is reached from the start by drawn edges"
    assert "more states not drawn" in src


def test_ok_is_green_and_errors_are_not() -> None:
    _ctl, ev = _explore("module_race", ("no_live_check",))
    colors = dot.outcome_colors(ev)  # type: ignore[arg-type]
    for o, c in zip(ev.outcomes, colors, strict=True):  # type: ignore[attr-defined]
        ok = all(v == "OK" for _, v in o.results)
        assert (c == dot.OK_GREEN) == ok, (o.label, c)


def test_pointer_edges_leave_from_the_table_edge() -> None:
    ctl = Controller("boot_tcp")
    ctl.load_schedule("B610")
    src = dot.pointer_graph(ctl.snapshot())
    tails = re.findall(r'"tab_vmlinux":(\S+) ->', src)
    assert tails and all(t.endswith("_out:e") for t in tails), tails
    assert "_out'>CHECK</td>" in src
