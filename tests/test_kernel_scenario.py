"""The my_kernel scenario: built from BTF blobs made in code, and from the real file if present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explorer.sim.errors import InputError
from explorer.sim.kernel_scenario import kernel_scenario, kernel_status
from explorer.sim.session import run
from explorer.sim.variants import Options, parse_options
from tests.btf_builder import BtfBuilder

REAL = "/sys/kernel/btf/vmlinux"


def _blob(names: list[str]) -> bytes:
    b = BtfBuilder()
    i32 = b.add_int("int", 4, signed=True)
    proto = b.add_func_proto(i32, [("x", i32)])
    for n in names:
        f = b.add_func(n, proto)
        b.add_decl_tag("bpf_kfunc", f)
    b.add_func("not_a_kfunc", proto)
    return b.build()


def _write(tmp_path: Path, names: list[str]) -> str:
    p = tmp_path / "vmlinux"
    p.write_bytes(_blob(names))
    return str(p)


def test_groups_tcp_sets_by_subsystem_and_guesses_prefix_groups(tmp_path: Path) -> None:
    names = ["bbr_init", "bbr_main", "cubictcp_init", "tcp_reno_ssthresh", "tcp_slow_start",
             "bpf_xdp_ct_lookup", "bpf_ct_release", "bpf_skb_ct_lookup", "bpf_task_acquire"]
    sc = kernel_scenario(_write(tmp_path, names))
    assert set(sc.sets) == {"tcp_cubic_kfunc_set", "tcp_bbr_kfunc_set", "bpf_tcp_ca_kfunc_set",
                            "xdp_kfuncs", "tc_kfuncs"}
    assert not sc.sets["tcp_bbr_kfunc_set"].hypothetical
    assert sc.sets["xdp_kfuncs"].hypothetical and sc.sets["tc_kfuncs"].hypothetical
    assert "GUESS" in sc.description
    assert "bpf_task_acquire" not in {n for s in sc.sets.values() for t in s.kfuncs for n in t}
    # acquire / release / ret_null guessed from names
    tc = sc.sets["tc_kfuncs"]
    assert tc.kfuncs[1] == ("bpf_skb_ct_lookup",) and tc.kfuncs[2] == ("bpf_ct_release",)
    r = run(sc, Options())
    assert r.outcome == {"boot": "OK", "verifier": "OK"}
    cells = r.final.world
    assert cells.btf("vmlinux").kfunc_set_tab is not None


def test_real_ids_are_used_and_cells_sorted(tmp_path: Path) -> None:
    sc = kernel_scenario(_write(tmp_path, ["cubictcp_init", "bbr_init", "tcp_reno_ssthresh"]))
    ids = sorted(i for _, i in sc.ids.values())
    r = run(sc, Options())
    from explorer.model.state import cell_ids

    got = cell_ids(r.final.world, "vmlinux", 2, 0)
    assert got is not None and list(got) == ids


def test_no_sort_variant_applies(tmp_path: Path) -> None:
    sc = kernel_scenario(_write(tmp_path, ["cubictcp_init", "cubictcp_state", "bbr_init",
                                           "bbr_main", "tcp_reno_ssthresh"]))
    r = run(sc, parse_options(["no_sort"]))
    assert r.outcome["boot"] == "OK"


@pytest.mark.parametrize("content, needle", [
    (None, "cannot read"),
    (b"\x00\x01", "byte"),
])
def test_unavailable_says_why(tmp_path: Path, content: bytes | None, needle: str) -> None:
    p = tmp_path / "nope"
    if content is not None:
        p.write_bytes(content)
    ok, why = kernel_status(str(p))
    assert not ok and needle in why and "\n" not in why
    with pytest.raises(InputError):
        kernel_scenario(str(p))


def test_btf_without_kfuncs(tmp_path: Path) -> None:
    ok, why = kernel_status(_write(tmp_path, []))
    assert not ok and "no kfuncs" in why


@pytest.mark.skipif(not os.access(REAL, os.R_OK), reason=f"{REAL} is not readable here")
def test_real_kernel_scenario_runs() -> None:
    ok, why = kernel_status()
    if not ok:
        pytest.skip(why)
    sc = kernel_scenario()
    r = run(sc, Options())
    assert r.outcome["boot"] == "OK"
    assert r.outcome["verifier"] == "OK"


def test_controller_lists_my_kernel_with_the_reason_when_unavailable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.sim import kernel_scenario as ks
    from explorer.views import controller as ctl

    # the controller imports kernel_status when it lists the scenarios (not before the first
    # frame), so it is replaced where it lives
    monkeypatch.setattr(ks, "kernel_status", lambda: (False, "/x: cannot read: nope"))
    mine = [c for c in ctl.Controller.scenarios() if c.name == "my_kernel"]
    assert len(mine) == 1 and not mine[0].available
    assert "cannot read" in mine[0].title
