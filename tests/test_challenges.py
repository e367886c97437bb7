"""Challenges: data, judging, exhaustive proof of winnability, CLI, progress store, play."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from explorer.cli import main
from explorer.sim.challenges import (
    Challenge,
    builtin_challenges,
    check_schedule,
    get_challenge,
    in_thread_order,
    judge,
    load_challenge_file,
    parse_challenges,
    solve,
)
from explorer.sim.errors import InputError
from explorer.sim.scenario import load_scenario
from explorer.sim.session import Session
from explorer.views.challenges import ProgressStore, challenge_views, spoiler
from explorer.views.controller import Controller

CHALLENGES = builtin_challenges()
NAMES = [c.name for c in CHALLENGES]


def test_catalogue_size_and_spread() -> None:
    assert len(CHALLENGES) >= 8
    assert len({c.scenario for c in CHALLENGES}) >= 4
    assert len(set(NAMES)) == len(NAMES)
    won_in_order = [c.name for c in CHALLENGES if in_thread_order(c).won]
    assert len(won_in_order) * 2 < len(CHALLENGES), won_in_order
    for c in CHALLENGES:
        assert c.goal_text and c.hint and c.explain, c.name
        assert c.path.endswith(".toml")


@pytest.mark.parametrize("name", NAMES)
def test_winnable_by_exploration_and_a_win_and_a_loss(name: str) -> None:
    c = get_challenge(name)
    sol = solve(c)
    assert sol is not None, f"{name}: no schedule wins"
    win = check_schedule(c, sol.schedule)
    assert win.won and win.decided, win.why
    assert win.steps == sol.steps
    assert win.why.startswith(f"won at step {sol.steps}")
    loss = in_thread_order(c)
    assert not loss.won and loss.decided
    assert "the rest ran in thread order" in loss.why


def test_fewest_steps_goal_is_tight() -> None:
    c = get_challenge("fastest_ok")
    assert c.goal.within is not None
    free = Challenge(c.name, c.title, c.goal_text,
                     type(c.goal)(c.goal.results, c.goal.violates, None),
                     scenario=c.scenario, variants=c.variants, faults=c.faults)
    best = solve(free)
    assert best is not None and best.steps == c.goal.within
    # the threads in order take one step more: that loses, with the reason
    v = in_thread_order(c)
    assert not v.won and f"after {c.goal.within} steps" in v.why


def test_judge_open_won_and_lost_for_good() -> None:
    c = get_challenge("early_verifier")
    sess = Session(load_scenario(c.scenario), c.options)
    v = judge(c, sess.states, sess.records)
    assert not v.decided and not v.won and v.why.startswith("not yet")
    sess.load_schedule("L3V10")
    v = judge(c, sess.states, sess.records)
    assert v.won and v.steps == 13 and v.schedule == "L3V10"
    sess.load_schedule("L63V40")
    v = judge(c, sess.states, sess.records)
    assert v.decided and not v.won and "verifier ended OK, not ENXIO" in v.why


def test_violation_goal_names_the_step() -> None:
    v = check_schedule(get_challenge("write_once"), "L4V7")
    assert v.won and "table_write_once was violated at step 11" in v.why


@pytest.mark.parametrize(("text", "place"), [
    ('[[challenge]]\nname = "x"\ngoal = "g"\n[challenge.win]\nresults = { nobody = "OK" }',
     "challenge[0].win.results.nobody: no thread 'nobody'"),
    ('[[challenge]]\nname = "x"\ngoal = "g"\n[challenge.win]\nresults = { verifier = "YES" }',
     "challenge[0].win.results.verifier: 'YES' (allowed: OK"),
    ('[[challenge]]\nname = "x"\ngoal = "g"\n[challenge.win]\nviolates = "nope"',
     "challenge[0].win.violates: 'nope'"),
    ('[[challenge]]\nname = "x"\ngoal = "g"\n[challenge.win]\nviolates = "table_write_once"\n'
     "within = 0", "challenge[0].win.within: 0"),
    ('[[challenge]]\nname = "x"\ngoal = "g"\n[challenge.win]\n', "challenge[0].win: a goal"),
    ('[[challenge]]\nname = "x"\ngoal = "g"\n', "challenge[0].win: expected a table"),
    ('[[challenge]]\nname = "x"\ngoal = "g"\ncolour = 1\n[challenge.win]\nviolates = "x"',
     "challenge[0]: unknown key 'colour'"),
    ('[[challenge]]\nname = "x"\ngoal = "g"\nvariants = ["fast"]\n[challenge.win]\n'
     'violates = "table_write_once"', "challenge[0].variants/faults: --variant: unknown"),
    ('[[challenge]]\nname = "x"\nscenario = "nowhere"\ngoal = "g"\n[challenge.win]\n'
     'violates = "table_write_once"', "challenge[0].scenario: unknown scenario 'nowhere'"),
    ("[[challenge]\n", "module_race.toml: "),
])
def test_bad_challenge_files_are_one_line_naming_the_place(tmp_path: Path, text: str,
                                                          place: str) -> None:
    p = tmp_path / "module_race.toml"
    p.write_text(text)
    with pytest.raises(InputError) as e:
        load_challenge_file(p)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith(str(p)) and place in msg, msg


def test_parse_defaults_scenario_from_file_name() -> None:
    (c,) = parse_challenges({"challenge": [{"name": "a", "goal": "g",
                                           "win": {"results": {"loader": "OK"}}}]},
                            "old_api.toml", "old_api")
    assert c.scenario == "old_api" and c.title == "a" and c.order == 100


# -- CLI -----------------------------------------------------------------------------------------


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main([*argv, "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return json.loads(out)


def test_cli_challenges_lists_every_field(capsys: pytest.CaptureFixture[str]) -> None:
    d = _json(capsys, "challenges")
    assert [c["name"] for c in d["challenges"]] == NAMES
    for c in d["challenges"]:
        assert {"name", "scenario", "variants", "faults", "goal", "title", "condition"} <= set(c)
    assert main(["challenges"]) == 0
    out = capsys.readouterr().out
    assert "use_after_free" in out and "NOT the kernel" in out


def test_cli_challenge_win_and_loss(capsys: pytest.CaptureFixture[str]) -> None:
    d = _json(capsys, "challenge", "use_after_free", "--schedule", "L59V6L4V9")
    assert d["won"] is True and d["why"] == "won at step 78: verifier ended UAF"
    d = _json(capsys, "challenge", "use_after_free", "--schedule", "L")
    assert d["won"] is False and "verifier ended ENOENT, not UAF" in d["why"]
    assert main(["challenge", "early_verifier", "--schedule", "L3V10"]) == 0
    out = capsys.readouterr().out
    assert "WON" in out and "won at step 13" in out


@pytest.mark.parametrize(("argv", "needle"), [
    (["challenge", "nope", "--schedule", "L"], "unknown challenge 'nope' (allowed: "),
    (["challenge", "early_verifier", "--schedule", "L3X"], "no thread 'X'"),
    (["challenge", "early_verifier", "--schedule", "L3?"], "position 3"),
    (["challenge", "early_verifier", "--schedule", "L70V"], "cannot step now"),
])
def test_cli_challenge_bad_input_is_one_line_exit_2(capsys: pytest.CaptureFixture[str],
                                                    argv: list[str], needle: str) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and needle in err, err
    assert err.startswith("kfunc-explorer challenge: ")


# -- progress ------------------------------------------------------------------------------------


def test_progress_lives_in_xdg_state_and_survives(_private_state_dir: Path) -> None:
    store = ProgressStore()
    assert store.path == _private_state_dir / "kfunc-explorer" / "progress.json"
    c = get_challenge("early_verifier")
    store.record(c.name, check_schedule(c, "L"))
    store.record(c.name, check_schedule(c, "L3V10"))
    store.give_up("write_once")
    again = ProgressStore()
    p = again.get(c.name)
    assert (p.tries, p.won, p.best_steps, p.best_schedule) == (2, True, 13, "L3V10")
    assert p.steps == 103 + 13
    assert again.get("write_once").gave_up and again.get("write_once").tried
    assert not again.get("half_filled").tried and again.warning == ""


@pytest.mark.parametrize("content", ["{not json", '{"version": 7}', '[1, 2]',
                                     '{"version": 1, "challenges": {"a": {"tries": -1}}}',
                                     "\udcff"])
def test_corrupt_progress_is_reported_and_set_aside(_private_state_dir: Path,
                                                    content: str) -> None:
    d = _private_state_dir / "kfunc-explorer"
    d.mkdir(parents=True)
    f = d / "progress.json"
    f.write_bytes(content.encode("utf-8", "surrogateescape"))
    store = ProgressStore()
    assert store.warning and "\n" not in store.warning and str(f) in store.warning
    assert "moved aside" in store.warning
    aside = [p for p in d.iterdir() if p.name.startswith("progress.json.corrupt-")]
    assert len(aside) == 1 and aside[0].read_bytes() == content.encode("utf-8",
                                                                         "surrogateescape")
    store.give_up("write_once")
    assert json.loads(f.read_text())["challenges"]["write_once"]["gave_up"] is True


# -- playing through the controller -------------------------------------------------------------


def test_play_counts_tries_and_detects_the_win() -> None:
    ctl = Controller()
    play = ctl.start_challenge("early_verifier")
    assert ctl.scenario_name == "module_race" and play.verdict is not None
    assert not play.verdict.decided
    ctl.load_schedule("L63V40")  # the threads in order: verifier OK, a loss
    v, new = ctl.challenge_update() or (None, False)
    assert v is not None and new and not v.won
    assert ctl.challenge_update() == (v, False)  # the same timeline is one try
    ctl.jump(3)
    for _ in range(10):
        ctl.step("V")
    v, new = ctl.challenge_update() or (None, False)
    assert v is not None and new and v.won and v.schedule == "L3V10"
    p = ctl.progress.get("early_verifier")
    assert (p.tries, p.won, p.best_steps) == (2, True, 13)
    assert "won in 13 steps" in p.status


def test_explorer_hides_witnesses_until_tried() -> None:
    assert all(not o.hidden for o in Controller().explore().outcomes)  # no store: no secrets
    ctl = Controller(progress=ProgressStore())
    ctl.load("module_race")
    ev = ctl.explore()
    enxio = next(o for o in ev.outcomes if dict(o.results)["verifier"] == "ENXIO")
    ok = next(o for o in ev.outcomes if dict(o.results)["verifier"] == "OK")
    assert enxio.witness == "" and "early_verifier" in enxio.hidden
    assert ok.witness and not ok.hidden  # 103 steps: too long to win fastest_ok
    ctl.start_challenge("early_verifier")
    assert ctl.give_up() == "L3V10"
    ctl.load("module_race")
    ev = ctl.explore()
    enxio = next(o for o in ev.outcomes if dict(o.results)["verifier"] == "ENXIO")
    assert enxio.witness and not enxio.hidden


def test_spoiler_is_a_witness_that_would_win() -> None:
    store = ProgressStore()
    # L4V7 is the explorer's witness for table_write_once under no_live_check; the rest in
    # thread order lets the verifier end OK, so it also wins lucky_ok
    assert "write_once" in spoiler(store, "module_race", "no_live_check", "L4V7")
    store.give_up("write_once")
    assert "lucky_ok" in spoiler(store, "module_race", "no_live_check", "L4V7")
    store.give_up("lucky_ok")
    assert spoiler(store, "module_race", "no_live_check", "L4V7") == ""
    assert "early_verifier" in spoiler(ProgressStore(), "module_race", "kernel", "L4V7")
    assert spoiler(ProgressStore(), "module_race", "kernel", "L63V40") == ""


def test_views_list_every_challenge() -> None:
    vs = challenge_views()
    assert [v.name for v in vs] == NAMES
    uaf = next(v for v in vs if v.name == "use_after_free")
    assert uaf.options_label == "no_live_check+init_fails" and uaf.condition == "verifier ends UAF"
    assert uaf is get_challenge("use_after_free") and uaf.not_kernel  # the catalogue entry itself


def test_challenge_state_announces_a_decided_try_once() -> None:
    ctl = Controller(progress=ProgressStore())
    assert ctl.challenge_state() is None
    ctl.start_challenge("old_not_allowed")
    st = ctl.challenge_state()
    assert st is not None and st.status == "open" and st.tries == 0 and not st.just_decided
    c = st.challenge
    assert c.options_label == "kernel" and not c.not_kernel
    assert c.condition == "verifier ends EACCES"
    ctl.load_schedule("L4V20")
    st = ctl.challenge_state()
    assert st is not None and st.status == "won" and st.just_decided and st.tries == 1
    assert st.summary.startswith("WON (1 try, best 24 steps): won at step 24")
    st = ctl.challenge_state()
    assert st is not None and not st.just_decided and st.tries == 1


def test_give_up_loads_a_shortest_win_and_stops_playing() -> None:
    ctl = Controller(progress=ProgressStore())
    ctl.start_challenge("half_filled")
    assert ctl.give_up() == "L4V15"
    assert ctl.play is None and ctl.snapshot().step == 0 and ctl.snapshot().length == 19
    assert ctl.progress.get("half_filled").gave_up
    with pytest.raises(ValueError, match="no challenge"):
        ctl.give_up()
