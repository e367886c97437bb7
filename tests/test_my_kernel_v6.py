"""``my_kernel`` on the 6.17 snapshot, and ``--kernel`` on the command line.

BTF blobs are made in code, so these pass where /sys/kernel/btf/vmlinux is absent; the real file is
used too when it is there (every kfunc must be accounted for).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from explorer.btf.reader import read_btf_file
from explorer.cli import main
from explorer.model.v6 import constants as c6
from explorer.sim.errors import InputError
from explorer.sim.kernel_v6 import kernel_scenario_v6, kernel_status_v6, placements
from explorer.sim.session import run
from explorer.sim.variants import Options
from explorer.views.report import kfuncs_report
from tests.btf_builder import BtfBuilder
from tests.test_cli import run_bad, run_json

REAL = "/sys/kernel/btf/vmlinux"


def _write(tmp_path: Path, names: list[str]) -> str:
    b = BtfBuilder()
    i32 = b.add_int("int", 4, signed=True)
    proto = b.add_func_proto(i32, [("x", i32)])
    for n in names:
        b.add_decl_tag("bpf_kfunc", b.add_func(n, proto))
    b.add_func("not_a_kfunc", proto)
    p = tmp_path / "vmlinux"
    p.write_bytes(b.build())
    return str(p)


NAMES = ["tcp_reno_ssthresh", "cubictcp_init", "bpf_xdp_ct_lookup", "bpf_ct_set_timeout",
         "bpf_sock_destroy", "bpf_strstr", "bpf_cpumask_create", "bpf_iter_num_new",
         "bpf_dynptr_from_xdp", "bpf_modify_return_test", "totally_new_kfunc",
         "bpf_skb_ct_lookup", "bpf_ct_insert_entry", "bpf_ct_release", "__bpf_trap",
         "bpf_cast_to_kern_ctx", "bpf_task_acquire", "bpf_path_d_path"]


def test_every_kfunc_is_placed_guessed_or_unplaced(tmp_path: Path) -> None:
    sc = kernel_scenario_v6(_write(tmp_path, NAMES))
    by = {p.name: p for p in sc.placements}
    assert set(by) == set(NAMES)  # all accounted for, not_a_kfunc excluded
    assert by["tcp_reno_ssthresh"].how == "source" and by["tcp_reno_ssthresh"].hooks == (
        "STRUCT_OPS",)
    assert by["bpf_xdp_ct_lookup"].hooks == ("XDP", "TC")
    assert by["bpf_xdp_ct_lookup"].flags == 5  # KF_ACQUIRE | KF_RET_NULL
    assert by["bpf_sock_destroy"].how == "source" and by["bpf_sock_destroy"].flags == 16
    assert by["bpf_strstr"].hooks == ("COMMON",)
    assert by["bpf_path_d_path"].how == "guess" and "GUESS" in by["bpf_path_d_path"].why
    assert by["bpf_cpumask_create"].how == "source"  # cpumask.c's set, read in 6.17.0-rc3
    assert by["bpf_cpumask_create"].hooks == ("TRACING", "STRUCT_OPS", "SYSCALL")
    assert by["bpf_cpumask_create"].flags == 5 and "9b44fff6" in by["bpf_cpumask_create"].why
    assert by["bpf_modify_return_test"].hooks == ("FMODRET",)
    assert by["totally_new_kfunc"].how == "unplaced"
    assert "no name rule matched" in by["totally_new_kfunc"].why
    # read whole in a 6.17.0-rc3 tree (Kingxukai/linux 0291023e): nf_conntrack_bpf.c's ten
    # nf_ct_kfunc_set entries, helpers.c's common_btf_ids (COMMON) and generic_btf_ids
    kf = c6.KF
    for name, flags in (("bpf_skb_ct_lookup", kf.KF_ACQUIRE | kf.KF_RET_NULL),
                        ("bpf_ct_insert_entry", kf.KF_ACQUIRE | kf.KF_RET_NULL | kf.KF_RELEASE),
                        ("bpf_ct_release", kf.KF_RELEASE)):
        p = by[name]
        assert (p.how, p.hooks, p.set, p.flags) == ("source", ("XDP", "TC"), "nf_ct_kfunc_set",
                                                     int(flags)), p
        assert "0291023e" in p.why
    assert (by["__bpf_trap"].how, by["__bpf_trap"].hooks) == ("source", ("COMMON",))
    assert by["bpf_cast_to_kern_ctx"].flags == int(kf.KF_FASTCALL)
    assert by["bpf_iter_num_new"].flags == int(kf.KF_ITER_NEW)
    assert by["bpf_iter_num_new"].hooks == ("COMMON",)
    assert by["bpf_task_acquire"].hooks == ("TRACING", "TC", "XDP", "STRUCT_OPS", "SYSCALL",
                                            "CGROUP")
    assert by["bpf_task_acquire"].flags == int(kf.KF_ACQUIRE | kf.KF_RCU | kf.KF_RET_NULL)
    rep = kfuncs_report(sc)
    assert rep is not None and rep["total"] == len(NAMES)
    assert sum(rep["counts"].values()) == len(NAMES)
    assert [u["name"] for u in rep["unplaced"]] == ["totally_new_kfunc"]
    guess = next(p for p in rep["placed"] if p["name"] == "bpf_path_d_path")
    assert guess["flags"] == "unknown" and guess["how"] == "guess"


def test_my_kernel_617_boots_and_looks_up(tmp_path: Path) -> None:
    sc = kernel_scenario_v6(_write(tmp_path, NAMES))
    assert sc.kernel == "6.17"
    assert any(s.hypothetical for s in sc.sets8.values())  # guesses are labelled
    assert not any(s.hypothetical for s in sc.sets8.values() if s.name == "bpf_sk_iter_kfunc_ids")
    r = run(sc, Options())
    assert r.outcome == {"boot": "OK", "verifier": "OK"}


def test_unavailable_says_why(tmp_path: Path) -> None:
    ok, why = kernel_status_v6(str(tmp_path / "absent"))
    assert not ok and "cannot read" in why
    with pytest.raises(InputError, match="no kfuncs found"):
        kernel_scenario_v6(_write(tmp_path, []))


@pytest.mark.skipif(not os.access(REAL, os.R_OK), reason=f"{REAL} is not readable here")
def test_real_kernel_every_kfunc_accounted_for() -> None:
    kfuncs = read_btf_file(REAL).kfuncs()
    sc = kernel_scenario_v6()
    assert len(sc.placements) == len(kfuncs)
    assert {p.btf_id for p in sc.placements} == {k.btf_id for k in kfuncs}
    rep = kfuncs_report(sc)
    assert rep is not None and sum(rep["counts"].values()) == len(kfuncs)
    for u in rep["unplaced"]:
        assert u["why"]
    assert run(sc, Options()).outcome["boot"] == "OK"
    assert placements(tuple(kfuncs)) == sc.placements


@pytest.mark.skipif(not os.access(REAL, os.R_OK) or shutil.which("bpftool") is None,
                    reason="needs /sys/kernel/btf/vmlinux and bpftool (apt-get install bpftool)")
def test_real_kernel_ids_match_bpftool() -> None:
    """bpftool is the reference reader: the BTF IDs my_kernel places are exactly its FUNCs
    tagged DECL_TAG 'bpf_kfunc'."""
    out = subprocess.run(["bpftool", "btf", "dump", "file", REAL], capture_output=True,
                         text=True, check=True, timeout=120).stdout
    ids = {int(m) for m in re.findall(r"DECL_TAG 'bpf_kfunc' type_id=(\d+)", out)}
    sc = kernel_scenario_v6()
    assert {p.btf_id for p in sc.placements} == ids


# -- the command line ---------------------------------------------------------------------------


def test_scenarios_list_versions(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, "scenarios")
    vs = {s["name"]: s["versions"] for s in d["scenarios"]}
    assert vs["boot_tcp"] == ["5.18", "6.17"] and vs["old_api"] == ["5.16"]
    assert vs["hooks_filters"] == ["6.17"] and vs["conntrack_flags"] == ["6.17"]
    assert d["my_kernel"]["versions"] == ["5.18", "6.17"]
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    assert "kernel 5.18, 6.17; --kernel picks one, default 5.18" in out


def test_run_and_explore_with_kernel(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, "run", "boot_tcp", "--kernel", "6.17")
    assert d["kernel"] == "6.17" and d["results"] == {"boot": "OK", "verifier": "OK"}
    so = d["tables"]["vmlinux"]["sets"]["STRUCT_OPS"]
    assert so["cnt"] == 25 and d["tables"]["vmlinux"]["max_cnt"] == 256
    assert next(iter(d["tables"]["vmlinux"]["sets"])) == "COMMON"
    d5 = run_json(capsys, "run", "boot_tcp")
    assert d5["kernel"] == "5.18" and "cells" in d5["tables"]["vmlinux"]
    e = run_json(capsys, "explore", "conntrack_flags", "--kernel", "6.17")
    assert e["complete"] and not e["invariant_violations"]


def test_kernel_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert "no 6.17 version" in run_bad(capsys, "run", "old_api", "--kernel", "6.17")
    assert "unknown kernel '4.0'" in run_bad(capsys, "explore", "boot_tcp", "--kernel", "4.0")
    assert "offers: no_sort" in run_bad(capsys, "run", "boot_tcp", "--kernel", "6.17",
                                     "--variant", "live_flag_unlocked")


def test_run_my_kernel_617_json_accounts_for_every_kfunc(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import explorer.sim.kernel_v6 as kv6

    path = _write(tmp_path, NAMES)
    monkeypatch.setattr(kv6.kernel_scenario_v6.__wrapped__, "__defaults__", (path,))
    kv6.kernel_scenario_v6.cache_clear()
    try:
        d = run_json(capsys, "run", "my_kernel", "--kernel", "6.17")
    finally:
        kv6.kernel_scenario_v6.cache_clear()
    kf = d["kfuncs"]
    assert kf["total"] == len(NAMES) and kf["modelled_snapshot"] == "6.17"
    assert {p["name"] for p in kf["placed"]} | {u["name"] for u in kf["unplaced"]} == set(NAMES)
    assert all(p["how"] in ("source", "guess") for p in kf["placed"])
