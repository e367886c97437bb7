"""Heapsort you can see: phases, narration, the tree layout, your own input, your own cell."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.model.libsort import kernel_sort
from explorer.sim.errors import InputError
from explorer.views.controller import Controller
from explorer.views.heap import (
    MAX_INPUT_IDS,
    SYM_BOUNDARY,
    SYM_TAIL,
    SortLab,
    array_segments,
    heap_tree,
    narrate,
    parse_ids,
    parse_key,
)


def test_every_sort_event_has_a_phase_and_a_step_label() -> None:
    r = kernel_sort([10, 20, 30, 40, 15, 25, 35])
    phases = [e.get("phase") for e in r.events]
    k = phases.index("sortdown")
    assert set(phases[:k]) == {"build"} and set(phases[k:]) == {"sortdown"}
    assert {e.get("at") for e in r.events} == {"leaf", "back", "extract", "shift"}
    extracts = [e for e in r.events if e.get("at") == "extract"]
    assert len(extracts) == 6  # num - 1 maxima moved to the tail
    assert all(e.get("i") == 0 and e.get("j") == e.get("heap_n") for e in extracts)


@given(st.lists(st.integers(0, 2**31 - 1), max_size=40))
@settings(max_examples=60, deadline=None)
def test_phase_is_build_until_the_first_extraction(ids: list[int]) -> None:
    r = kernel_sort(ids)
    seen_sortdown = False
    for e in r.events:
        if e.get("at") == "extract":
            seen_sortdown = True
        assert e.get("phase") == ("sortdown" if seen_sortdown else "build")
        assert narrate(e)  # every event narrates


def test_narration_of_each_kind() -> None:
    r = kernel_sort([5, 3, 9, 1, 7])
    texts = [narrate(e) for e in r.events]
    assert texts[0] == "leaf search: 1 < 7 → follow the right child [4]"
    assert texts[1] == "3 < 7 → stop sifting at [4], swap [1] down into place"
    assert texts[2] == "swap 3 at [1] and 7 at [4]: rotate along the sift-down path"
    assert any(t.startswith("swap the maximum 9 at [0] with") for t in texts)
    assert any("climb back to its parent" in t for t in texts)


@pytest.mark.parametrize(("text", "msg"), [
    ("", "array: empty"),
    ("  , ", "array: empty"),
    ("1 2 x", "array: value 3 'x' is not a whole number"),
    ("1 -5", "array: value 2 -5 is outside u32"),
    ("4294967296", "outside u32"),
    (" ".join(["1"] * (MAX_INPUT_IDS + 1)), f"array: {MAX_INPUT_IDS + 1} values: at most 1000"),
])
def test_bad_input_is_one_line(text: str, msg: str) -> None:
    with pytest.raises(InputError) as e:
        parse_ids(text)
    assert msg in str(e.value) and "\n" not in str(e.value)


def test_good_input_and_keys() -> None:
    assert parse_ids("5, 3 0x10\t7") == (5, 3, 16, 7)
    assert len(parse_ids(" ".join(["9"] * MAX_INPUT_IDS))) == MAX_INPUT_IDS
    assert parse_key("") is None and parse_key(" 15 ") == 15
    with pytest.raises(InputError, match="one number"):
        parse_key("1 2")
    with pytest.raises(InputError, match="key: value 1 'k'"):
        parse_key("k")


def test_lab_replays_the_kernel_sort_then_bsearch() -> None:
    lab = SortLab.from_text("10 20 30 40 15 25 35", "15")
    run = kernel_sort([10, 20, 30, 40, 15, 25, 35])
    assert lab.length == len(run.events) + 2  # 17 cmp + 14 swap, then probes 3 and 1
    f = lab.frame()
    assert (f.kind, lab.cursor, f.phase, f.active) == ("sort", 0, "build", True)
    lab.jump(len(run.events))
    f = lab.frame()
    assert f.ids == (10, 15, 20, 25, 30, 35, 40) and f.phase == "done"
    assert (f.comparisons, f.swaps) == (17, 14)
    assert lab.step() and lab.frame().kind == "bsearch" and lab.frame().found is None
    assert lab.step() and lab.frame().found is True and lab.frame().i == 1
    assert not lab.step()
    end = lab.frame()
    assert not end.active and end.note == f"lib/bsearch.c, step {lab.length}/{lab.length}"
    assert lab.back() and lab.frame().comparisons == 1 and lab.frame().active
    with pytest.raises(InputError):
        lab.jump(99)


def test_tree_rows_with_indices_symbols_and_dashed_tail_edges() -> None:
    ids = (10, 20, 30, 40, 15, 25, 35)
    t = heap_tree(ids, heap_n=5, i=0, j=2, width=60)
    text = t.plain()
    assert not t.compact and t.levels_drawn == t.levels == 3
    for k in range(7):
        assert f"[{k}]" in text
    assert "*10*" in text and "*30*" in text  # the pair in play
    assert f"{SYM_TAIL}25" in text and f"{SYM_TAIL}35" in text  # sorted tail
    assert "┴" in text and "╌" in text  # connectors, dashed into the tail
    roles = {r for row in t.rows for _, r in row}
    assert {"play", "tail", "heap", "index", "edge"} <= roles


def test_tree_compacts_then_cuts_levels_when_narrow() -> None:
    ids = tuple(range(106000, 106025))
    wide = heap_tree(ids, width=200)
    assert not wide.compact and "106024" in wide.plain()
    mid = heap_tree(ids, width=70)
    assert mid.compact and mid.levels_drawn == 5 and "24" in mid.plain()
    narrow = heap_tree(ids, width=30)
    assert narrow.levels_drawn < narrow.levels
    assert "not drawn" in narrow.plain()
    for row in narrow.rows[:-1]:
        assert len("".join(t for t, _ in row)) <= 30


def test_array_marks_boundary_and_tail() -> None:
    segs = array_segments((1, 2, 3, 4), heap_n=2, heap_a=0, i=-1, j=-1)
    text = "".join(t for t, _ in segs)
    assert text.startswith("▸1 2 " + SYM_BOUNDARY) and f"{SYM_TAIL}3" in text


def test_snapshot_array_carries_phase_and_narration() -> None:
    ctl = Controller("boot_tcp")
    while ctl.snapshot().array is None or ctl.snapshot().array.op != "cmp":  # type: ignore[union-attr]
        ctl.step_auto()
    a = ctl.snapshot().array
    assert a is not None and a.phase == "build" and a.phase_label == "build heap"
    assert a.narration.startswith("leaf search: ") or "→" in a.narration


def test_custom_cell_registers_sorts_and_searches() -> None:
    ctl = Controller()
    ctl.load_custom("106124 106106 7 99", "7")
    assert ctl.scenario_name == "my_cell"
    ctl.run_to_end()
    snap = ctl.snapshot()
    assert dict(snap.outcome) == {"boot": "OK", "verifier": "OK"}
    vm = next(t for t in snap.tables if t.btf == "vmlinux")
    cell = next(c for row in vm.rows for c in row if c.hook == "STRUCT_OPS" and c.type == "CHECK")
    assert cell.cnt == 9 and list(cell.ids) == sorted(cell.ids) and 7 in cell.ids
    ctl.load_custom("5 6", "8", "XDP")
    ctl.run_to_end()
    assert dict(ctl.snapshot().outcome)["verifier"] == "EACCES"  # 8 is not in the cell


def test_custom_cell_too_big_is_the_kernels_e2big() -> None:
    ctl = Controller()
    ctl.load_custom(" ".join(str(200000 + k) for k in range(30)))
    ctl.run_to_end()
    assert dict(ctl.snapshot().outcome)["boot"] == "E2BIG"  # 5 + 30 > 32


@pytest.mark.parametrize(("ids", "key", "msg"), [
    ("", "", "my cell: empty"), ("1 two", "", "not a whole number"),
    ("0 5", "", "a BTF ID is 1..2147483647"), ("5", "x", "key: value 1 'x'"),
])
def test_custom_cell_bad_input_keeps_state(ids: str, key: str, msg: str) -> None:
    ctl = Controller("old_api")
    ctl.step_auto()
    before = ctl.snapshot()
    with pytest.raises(ValueError) as e:
        ctl.load_custom(ids, key)
    assert msg in str(e.value) and "\n" not in str(e.value)
    after = ctl.snapshot()
    assert (after.scenario, after.step, after.schedule) == (before.scenario, before.step,
                                                            before.schedule)


@given(st.lists(st.integers(1, 300), min_size=0, max_size=60), st.data())
@settings(max_examples=40, deadline=None)
def test_lab_frames_match_a_replay_of_the_swaps(ids: list[int], data: st.DataObject) -> None:
    lab = SortLab(tuple(ids))
    cur = list(ids)
    arrays = [tuple(cur)]
    for e in lab.sort_events:
        if e.kind == "swap":
            i, j = int(e.get("i") or 0), int(e.get("j") or 0)
            cur[i], cur[j] = cur[j], cur[i]
        arrays.append(tuple(cur))
    for k in data.draw(st.lists(st.integers(0, len(lab.sort_events)), max_size=10)):
        lab.jump(k)
        assert lab.frame().ids == arrays[k]
    assert arrays[-1] == tuple(sorted(ids))
