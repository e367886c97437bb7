"""The notebook's sort lab and challenge widgets, driven through their callbacks."""

from __future__ import annotations

from explorer.notebook import ChallengeWidget, SortLabWidget
from explorer.views.challenges import ProgressStore


def test_sort_lab_steps_shows_tree_and_keeps_state_on_bad_input() -> None:
    w = SortLabWidget("10 20 30 40 15 25 35", "15", diagrams=False)
    assert "BUILD HEAP" in w.array_html.value and "step 0 of 33" in w.status.value
    w.btn_step.click()
    assert "leaf search: 25 &lt; 35 → follow the right child [6]" in w.array_html.value
    w.btn_end.click()
    assert "found" in w.array_html.value and w.btn_step.disabled
    w.btn_back.click()
    assert w.lab.cursor == 32
    w.slider.value = 5
    assert w.lab.cursor == 5
    for bad, msg in (("", "empty"), ("1 x", "not a whole number"),
                     (" ".join(["1"] * 1001), "at most 1000")):
        w.ids_box.value = bad
        w.btn_sort.click()
        assert msg in w.message.value and w.lab.ids == (10, 20, 30, 40, 15, 25, 35)
    w.ids_box.value, w.key_box.value = "9 8 7", ""
    w.btn_sort.click()
    assert w.message.value == "" and w.lab.ids == (9, 8, 7) and w.lab.cursor == 0


def test_sort_lab_registers_my_cell() -> None:
    w = SortLabWidget("106124 7 99", "7", diagrams=False)
    w.btn_register.click()
    assert w.cell_explorer is not None and w.cell_explorer.ctl.scenario_name == "my_cell"
    w.cell_explorer.ctl.run_to_end()
    assert dict(w.cell_explorer.ctl.snapshot().outcome) == {"boot": "OK", "verifier": "OK"}
    w.ids_box.value = "0 1"
    assert not w.register() and "1..2147483647" in w.message.value


def test_challenge_widget_detects_win_counts_tries_hint_and_give_up() -> None:
    store = ProgressStore()
    w = ChallengeWidget("early_verifier", progress=store)
    assert "playing" in w.state.value and "Knock before LIVE" in w.state.value
    w.explorer.set_schedule("L63V40")
    assert "lost" in w.state.value and "verifier ended OK, not ENXIO" in w.state.value
    w.explorer.set_schedule("L3V10")
    assert "WON" in w.state.value and "won at step 13" in w.state.value
    assert store.get("early_verifier").tries == 2 and store.get("early_verifier").won
    assert "won in 13 steps" in str(w.picker.options[[v for _, v in w.picker.options].index(
        "early_verifier")][0])
    w.picker.value = "use_after_free"
    w.btn_play.click()
    assert w.ctl.scenario_name == "module_race" and "NOT THE KERNEL" in w.state.value
    w.btn_hint.click()
    assert "hint:" in w.state.value
    w.btn_give_up.click()
    assert "a shortest win is L59V6L4V9" in w.state.value and w.ctl.play is None
    assert store.get("use_after_free").gave_up


def test_explorer_hides_witnesses_in_a_challenge_notebook() -> None:
    w = ChallengeWidget("early_verifier", progress=ProgressStore())
    ev = w.explorer.explore()
    hidden = [b for b in w.explorer.witness_buttons if b.disabled]
    assert hidden and all("(hidden)" in b.description for b in hidden)
    assert any(o.hidden for o in ev.outcomes)
    assert "hidden: it solves" in w.explorer.explore_out.value
