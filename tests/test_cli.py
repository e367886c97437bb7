"""The command line, called in process: JSON shapes, and one-line errors with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from explorer.cli import main
from explorer.sim.scenario import builtin_names


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main([*argv, "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return json.loads(out)


def run_bad(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"kfunc-explorer {argv[0]}: ")
    return lines[0]


def test_scenarios_json(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, "scenarios")
    names = [s["name"] for s in d["scenarios"]]
    assert set(builtin_names()) <= set(names)
    for s in d["scenarios"]:
        assert {"name", "title", "description", "kernel", "threads", "variants", "faults",
                "default_faults"} <= set(s)
        assert s["threads"]
        for t in s["threads"]:
            assert set(t) >= {"letter", "name", "kind"} and len(t["letter"]) == 1
    race = next(s for s in d["scenarios"] if s["name"] == "module_race")
    assert [t["letter"] for t in race["threads"]] == ["L", "V"]
    assert set(d["variants"]) == {"no_live_check", "live_flag_unlocked", "no_sort"}
    assert all(v["not_the_kernel"] is True for v in d["variants"].values())
    assert set(d["faults"]) == {"kzalloc_fails", "krealloc_fails", "init_fails"}


def test_run_json(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, "run", "module_race", "--schedule", "LLLVVVVVVVVVV")
    assert d["schedule"].startswith("L3V10")
    assert d["results"] == {"loader": "OK", "verifier": "ENXIO"}
    steps = d["steps"]
    assert [s["n"] for s in steps] == list(range(1, len(steps) + 1))
    assert {"n", "thread", "letter", "function", "label", "line", "events"} <= set(steps[0])
    assert steps[0]["function"] == "load_module" and steps[0]["label"] == "entry"
    assert next(s for s in steps if "result" in s)["result"] == "ENXIO"
    tabs = d["tables"]
    assert tabs["vmlinux"] is None
    tc = tabs["nf_conntrack"]["cells"]["TC"]["CHECK"]
    assert tc["region"] == "module" and tc["cnt"] == 2
    assert d["not_the_kernel"] == [] and d["variant"] == "kernel"


def test_run_json_variant_banner_and_sorted_cells(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, "run", "boot_tcp", "--variant", "no_sort")
    assert d["results"] == {"boot": "OK", "verifier": "EACCES"}
    assert d["not_the_kernel"] and "NOT THE KERNEL" in d["not_the_kernel"][0]
    cell = d["tables"]["vmlinux"]["cells"]["STRUCT_OPS"]["CHECK"]
    assert cell["cnt"] == 25 and cell["ids"] != sorted(cell["ids"])
    d = run_json(capsys, "run", "boot_tcp")
    cell = d["tables"]["vmlinux"]["cells"]["STRUCT_OPS"]["CHECK"]
    assert cell["cnt"] == 25 and cell["ids"] == sorted(cell["ids"])
    assert cell["region"] == "kmalloc"


def test_explore_json(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, "explore", "module_race", "--variant", "no_live_check")
    assert {"states", "transitions", "outcomes", "invariant_violations"} <= set(d)
    assert d["states"] > 0 and d["transitions"] >= d["states"] - 1
    for o in d["outcomes"]:
        assert set(o) >= {"results", "count", "witness"}
        assert o["count"] >= 1 and o["witness"]
    assert "EACCES" in {o["results"]["verifier"] for o in d["outcomes"]}
    assert {v["invariant"] for v in d["invariant_violations"]} == {"table_write_once"}
    for v in d["invariant_violations"]:
        assert set(v) >= {"invariant", "message", "count", "witness"}


def test_explore_json_kernel_has_no_violations(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, "explore", "module_init_fails")
    assert d["invariant_violations"] == []
    assert {o["results"]["verifier"] for o in d["outcomes"]} == {"ENXIO", "ENOENT"}


def test_sort_json(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, "sort", "5", "3", "9", "1", "7")
    assert d["sorted"] == [1, 3, 5, 7, 9]
    assert (d["comparisons"], d["swaps"]) == (10, 9)
    assert len(d["events"]) == 19
    for e in d["events"]:
        assert set(e) >= {"op", "i", "j", "a", "b"} and e["op"] in ("cmp", "swap")
    first = d["events"][0]
    assert {k: first[k] for k in ("op", "i", "j", "a", "b")} == {
        "op": "cmp", "i": 3, "j": 4, "a": 1, "b": 7}
    assert first["phase"] == "build" and first["step"] == "leaf"
    assert first["narration"] == "leaf search: 1 < 7 → follow the right child [4]"
    phases = [e["phase"] for e in d["events"]]
    # build heap first, then sort down, never back: the first extraction switches the phase
    k = phases.index("sortdown")
    assert set(phases[:k]) == {"build"} and set(phases[k:]) == {"sortdown"}
    assert d["events"][k]["op"] == "swap" and d["events"][k]["step"] == "extract"


def test_sort_accepts_hex(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, "sort", "0x10", "3")
    assert d["sorted"] == [3, 16]


def test_bsearch_json(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, "bsearch", "15", "10", "20", "30", "40", "15", "25", "35")
    assert d["found"] is False and d["probes"] == [3, 1, 0] and d["comparisons"] == 3
    d = run_json(capsys, "bsearch", "15", "10", "15", "20", "25", "30", "35", "40")
    assert d["found"] is True and d["probes"] == [3, 1] and d["comparisons"] == 2


def test_text_outputs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sort", "5", "3", "9", "1", "7"]) == 0
    out = capsys.readouterr().out
    assert "10 comparisons, 9 swaps" in out and "sorted: 1 3 5 7 9" in out
    assert main(["run", "module_race", "--variant", "no_live_check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("*** WHAT-IF, NOT THE KERNEL")
    assert main(["explore", "module_init_fails"]) == 0
    assert "invariants: all hold in every state" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "needle"), [
    (("run", "no_such_scenario"), "unknown scenario 'no_such_scenario'"),
    (("explore", "no_such_scenario"), "unknown scenario"),
    (("run", "module_race", "--schedule", "L3X"), "position 3: no thread 'X'"),
    (("run", "module_race", "--schedule", "L0"), "a count must be 1 or more"),
    (("run", "module_race", "--schedule", "V"), "cannot step now"),
    (("run", "module_race", "--variant", "bogus"), "unknown variant 'bogus'"),
    (("explore", "module_race", "--variant", "bogus"), "unknown variant 'bogus'"),
    (("run", "module_race", "--fault", "nope"), "unknown fault 'nope'"),
    (("run", "boot_tcp", "--fault", "krealloc_fails:x"), "whole number"),
    (("sort", "5", "x"), "'x' is not a whole number"),
    (("sort", "4294967296"), "outside u32"),
    (("bsearch", "y", "1", "2"), "KEY: 'y' is not a whole number"),
    (("bsearch", "1", "2", "z"), "'z' is not a whole number"),
    (("bsearch", "5"), "no IDs to search"),  # QA: exited 0 with an empty search
    (("btf", "/nonexistent/vmlinux"), "/nonexistent/vmlinux: cannot read"),  # QA: no prefix
])
def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str],
                                          argv: tuple[str, ...], needle: str) -> None:
    line = run_bad(capsys, *argv)
    assert needle in line


def test_unknown_scenario_lists_every_version_s_scenarios(
        capsys: pytest.CaptureFixture[str]) -> None:
    """The 6.17-only scenarios run (`run conntrack_flags`), so the error must offer them too."""
    from explorer.sim.modern import modern_names

    line = run_bad(capsys, "run", "no_such_scenario")
    allowed = line.split("(allowed: ", 1)[1]
    for name in (*builtin_names(), *modern_names(), "my_kernel"):
        assert name in allowed, name
    assert "conntrack_flags" in allowed


def test_scenario_file_with_toml_syntax_error(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "broken.toml"
    f.write_text('name = "broken"\n[[threads]\nname = "x"\n')
    for cmd in ("run", "explore"):
        line = run_bad(capsys, cmd, str(f))
        assert str(f) in line


def test_scenario_file_with_semantic_error(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "semantic.toml"
    f.write_text('name = "semantic"\n[[threads]]\nname = "x"\nkind = "fork_bomb"\n')
    line = run_bad(capsys, "run", str(f))
    assert str(f) in line and "threads[0].kind" in line and "fork_bomb" in line


def test_scenario_file_that_does_not_exist(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "missing.toml"
    line = run_bad(capsys, "run", str(f))
    assert str(f) in line and "cannot read" in line


def test_a_good_scenario_file_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "mine.toml"
    f.write_text("""
name = "mine"
[[sets]]
name = "s"
prog_type = "XDP"
check = ["bpf_kfunc_call_test2", "bpf_kfunc_call_test1"]
[[threads]]
name = "boot"
letter = "B"
kind = "do_initcalls"
sets = ["s"]
""")
    d = run_json(capsys, "run", str(f))
    assert d["results"] == {"boot": "OK"}
    assert d["tables"]["vmlinux"]["cells"]["XDP"]["CHECK"]["ids"] == [31207, 31208]


def test_the_cell_limit_is_written_in_one_place() -> None:
    """'/32' was hard-coded in four files; every front now reads the model's constant."""
    from explorer.views.controller import Controller
    from explorer.views.snapshot import MAX_CNT

    assert MAX_CNT == 32
    c = Controller("boot_tcp")
    c.load("boot_tcp", schedule="B60")
    cells = [x for tv in c.snapshot().tables for row in tv.rows for x in row if x.addr]
    assert cells and all(x.fill == f"{x.cnt}/{MAX_CNT}" for x in cells)


def test_a_malformed_btf_file_names_the_command_as_the_others_do(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """QA: `btf` errors lacked the "kfunc-explorer btf:" prefix every other subcommand has."""
    f = tmp_path / "bad.btf"
    f.write_bytes(b"\x00" * 64)
    line = run_bad(capsys, "btf", str(f))
    assert line.startswith(f"kfunc-explorer btf: {f}: byte 0: bad magic")


def test_serve_help_names_the_default_port(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--port PORT port to listen on (default: 8000)" in out


def test_run_schedule_takes_lower_case(capsys: pytest.CaptureFixture[str]) -> None:
    """QA: ``--schedule l4v7`` was refused; letter case does not matter in a schedule."""
    d = run_json(capsys, "run", "module_race", "--schedule", "l4v7")
    assert d["schedule"].startswith("L4V7L")
    assert "".join(s["letter"] for s in d["steps"][:11]) == "LLLLVVVVVVV"


def test_every_option_and_argument_of_every_command_has_help() -> None:
    """--help showed blanks: --json of seven commands, sort's IDs, bsearch's KEY, notebooks' DIR."""
    import argparse

    from explorer.cli import _parser

    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, p in sub.choices.items():
        for a in p._actions:
            if not isinstance(a, argparse._HelpAction):
                assert a.help, (name, a.dest)
