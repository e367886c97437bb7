"""Lessons prove what they say: claims, checked answers, and text that must match the state."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.cli import main
from explorer.sim import modern
from explorer.sim.claims import ClaimError, check_claims, parse_claim
from explorer.sim.errors import InputError
from explorer.sim.lessons import answer, load_lesson_file, load_lessons, reveal
from explorer.sim.scenario import load_scenario
from explorer.sim.session import RunResult, run
from explorer.sim.variants import parse_options


def at(name: str, schedule: str, *variants: str) -> RunResult:
    sc = load_scenario(name)
    return run(sc, parse_options(list(variants), list(sc.default_faults)), schedule,
               complete=False)


HOLDS = [
    ("module_race", "L4", "module nf_conntrack COMING"),
    ("module_race", "L4", "module nf_conntrack flag clear"),
    ("module_race", "L4", "btf nf_conntrack published"),
    ("module_race", "L4", "table nf_conntrack NULL"),
    ("module_race", "L4", "loader at load_module:init"),
    ("module_race", "L4", "L at load_module"),
    ("module_race", "L4", "verifier runnable"),
    ("module_race", "L4", "step 4"),
    ("module_race", "L15", "loader in module_init"),
    ("module_race", "L15", "event by pointer"),
    ("module_race", "L15", "trace kzalloc(kfunc_set_tab)"),
    ("module_race", "L63", "loader done OK"),
    ("module_race", "L63", "module nf_conntrack LIVE"),
    ("module_race", "L63", "module nf_conntrack flag LIVE"),
    ("module_race", "L63", "module nf_conntrack refcnt 0"),
    ("module_race", "L63", "cell nf_conntrack TC ACQUIRE same XDP RET_NULL"),
    ("module_race", "L63", "cell nf_conntrack TC CHECK differs XDP CHECK"),
    ("module_race", "L63", "cell nf_conntrack TC CHECK count 2"),
    ("module_race", "L63", "cell nf_conntrack TC CHECK ids 128293 128297"),
    ("module_race", "L63", "cell nf_conntrack TC CHECK index 1 128297"),
    ("module_race", "L63", "cell nf_conntrack TC CHECK module"),
    ("module_race", "L63", "cell nf_conntrack TC CHECK sorted"),
    ("module_race", "L63", "cell vmlinux TC CHECK NULL"),
    ("boot_tcp", "B61", "heap a 6 n 14"),
    ("boot_tcp", "B159", "sort-cost 56 comparisons 38 swaps"),
    ("boot_tcp", "B159", "cell vmlinux STRUCT_OPS CHECK kmalloc"),
    ("boot_tcp", "", "verifier blocked"),
    ("live_flag_ordering", "L62", "pending 10"),
    ("module_init_fails", "L24", "module bpf_testmod freed"),
    ("module_init_fails", "L24", "btf bpf_testmod unpublished"),
    ("module_twice", "L27", "table bpf_testmod NULL"),
]


@pytest.mark.parametrize(("name", "schedule", "claim"), HOLDS)
def test_each_claim_form_holds_where_it_should(name: str, schedule: str, claim: str) -> None:
    assert check_claims((claim,), at(name, schedule)) == []


FAILS = [
    ("module_race", "L4", "module nf_conntrack LIVE", "MODULE_STATE_COMING"),
    ("module_race", "L4", "loader at do_init_module", "load_module:init"),
    ("module_race", "L4", "loader done OK", "has not finished"),
    ("module_race", "L63", "cell nf_conntrack TC CHECK same XDP CHECK", "->"),
    ("module_race", "L63", "cell nf_conntrack TC CHECK count 3", "holds 2 IDs"),
    ("module_race", "L63", "table nf_conntrack NULL", "allocated"),
    ("module_race", "L4", "pending 1", "0 store(s)"),
    ("module_race", "L4", "X at load_module", "no thread 'X'"),
    ("boot_tcp", "B61", "heap a 0 n 0", "a=6 n=14"),
    ("module_init_fails", "L19", "loader in module_init", "stack is"),
]


@pytest.mark.parametrize(("name", "schedule", "claim", "why"), FAILS)
def test_a_false_claim_says_what_the_model_shows(name: str, schedule: str, claim: str,
                                                 why: str) -> None:
    got = check_claims((claim,), at(name, schedule))
    assert len(got) == 1 and why in got[0]


@pytest.mark.parametrize("bad", ["", "module x", "cell vmlinux FOO CHECK NULL",
                                 "cell vmlinux TC CHECK count x", "loader", "loader sleeps",
                                 "pending x", "heap a 1", "table vmlinux maybe",
                                 "cell vmlinux TC CHECK same TC", "sort-cost 1 2"])
def test_malformed_claims_are_refused(bad: str) -> None:
    with pytest.raises(ClaimError):
        parse_claim(bad)


def test_every_page_of_every_lesson_states_claims_and_every_prediction_its_answer() -> None:
    n = 0
    for ls in load_lessons():
        for page in ls.pages:
            assert page.claims, (ls.path, page.title)
            n += len(page.claims)
            if page.predict is not None:
                assert page.predict.answer == answer(page), (ls.path, page.title)
                assert page.predict.answer in page.predict.choices
                assert page.predict.explain.startswith(page.predict.answer), (ls.path, page.title)
                assert check_claims(page.predict.claims, reveal(page)) == []
            sc = modern.load(page.scenario, page.kernel or None)
            assert check_claims(page.claims, run(sc, page.options, page.schedule,
                                                 complete=False)) == []
    assert n > 150


PAGE = '''title = "t"
scenario = "{sc}"
[[pages]]
title = "the page"
schedule = "{schedule}"
claims = {claims}
text = """{text}"""
'''


def write(tmp_path: Path, sc: str, schedule: str, claims: str, text: str = "x",
          extra: str = "") -> Path:
    f = tmp_path / "09-test.toml"
    f.write_text(PAGE.format(sc=sc, schedule=schedule, claims=claims, text=text) + extra)
    return f


def test_a_claim_that_does_not_hold_is_one_line_naming_file_page_and_claim(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, "module_init_fails", "L19", '["loader in module_init"]')
    with pytest.raises(InputError) as ei:
        load_lesson_file(f)
    msg = str(ei.value)
    assert msg.startswith(f"{f}: pages[0] ('the page').claims[0]: claim 'loader in module_init' "
                          "does not hold: ")
    assert "\n" not in msg
    assert main(["lessons", str(f)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "claims[0]" in err and str(f) in err
    assert main(["lessons"]) == 0


def test_text_naming_a_state_the_page_does_not_reach_fails(tmp_path: Path) -> None:
    # the bug the audit found: "L is inside init" on a page where init had returned
    f = write(tmp_path, "module_init_fails", "L20", '["step 20"]',
              "The module is COMING and L is inside init.")
    with pytest.raises(InputError, match=r"\.text: says 'The module is COMING'"):
        load_lesson_file(f)
    f = write(tmp_path, "module_init_fails", "L20", '["step 20"]', "L is inside init.")
    with pytest.raises(InputError, match=r"says 'L is inside init', but loader is at"):
        load_lesson_file(f)
    f = write(tmp_path, "boot_tcp", "B5", '["step 5"]', "See step 7.")
    with pytest.raises(InputError, match=r"names step 7, but the page is at step 5"):
        load_lesson_file(f)
    f = write(tmp_path, "module_race", "L4", '["step 4"]', "Retry once the module is LIVE.")
    assert load_lesson_file(f).pages[0].claims == ("step 4",)


def test_a_page_without_claims_is_refused(tmp_path: Path) -> None:
    f = write(tmp_path, "boot_tcp", "B5", "[]")
    with pytest.raises(InputError, match=r"pages\[0\] \('the page'\)\.claims: a page states"):
        load_lesson_file(f)


PREDICT = '''
[pages.predict]
question = "?"
choices = ["OK", "ENXIO"]
kind = "result"
thread = "verifier"
then = "V6"
answer = "{answer}"
explain = "{answer}: because."
'''


def test_a_prediction_answer_is_checked_against_the_model(tmp_path: Path) -> None:
    f = write(tmp_path, "module_race", "L4", '["step 4"]', extra=PREDICT.format(answer="OK"))
    with pytest.raises(InputError, match=r"predict\.answer: the page says 'OK', the model says "
                                         r"'ENXIO'"):
        load_lesson_file(f)
    f = write(tmp_path, "module_race", "L4", '["step 4"]', extra=PREDICT.format(answer="ENXIO"))
    assert load_lesson_file(f).pages[0].predict is not None
    f = write(tmp_path, "module_race", "L4", '["step 4"]',
              extra=PREDICT.format(answer="ENXIO").replace('answer = "ENXIO"\n', ""))
    with pytest.raises(InputError, match=r"predict\.answer: state the answer"):
        load_lesson_file(f)
