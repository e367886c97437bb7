"""Tests of explorer.btf (raw BTF reader) and the `btf` CLI subcommand."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.btf import BtfFile, BtfFormatError, Kfunc, Kind, read_btf, read_btf_file
from explorer.btf.reader import DEFAULT_VMLINUX
from explorer.cli import btf_cmd

sys.path.insert(0, str(Path(__file__).parent))
from btf_builder import SAMPLE_PROTOS, BtfBuilder, sample_builder

SAMPLE_KINDS = [
    Kind.INT, Kind.INT, Kind.PTR, Kind.ARRAY, Kind.STRUCT, Kind.UNION, Kind.ENUM, Kind.FWD,
    Kind.TYPEDEF, Kind.VOLATILE, Kind.CONST, Kind.PTR, Kind.RESTRICT, Kind.PTR, Kind.FUNC_PROTO,
    Kind.FUNC, Kind.DECL_TAG, Kind.VAR, Kind.DATASEC, Kind.FLOAT, Kind.TYPE_TAG, Kind.PTR,
    Kind.ENUM64, Kind.PTR, Kind.FUNC_PROTO, Kind.FUNC, Kind.DECL_TAG, Kind.DECL_TAG,
    Kind.DECL_TAG, Kind.FUNC_PROTO, Kind.FUNC, Kind.DECL_TAG, Kind.FUNC_PROTO, Kind.PTR,
    Kind.CONST, Kind.PTR, Kind.FUNC_PROTO, Kind.FUNC, Kind.DECL_TAG, Kind.FUNC, Kind.DECL_TAG,
]  # fmt: skip


def _read(b: BtfBuilder, big_endian: bool = False, **kw: object) -> BtfFile:
    return read_btf(b.build(big_endian), source="sample.btf", **kw)  # type: ignore[arg-type]


def _assert_err(exc: BtfFormatError, source: str, substring: str, offset: int | None) -> None:
    text = str(exc)
    assert "\n" not in text
    assert text.startswith(f"{source}: byte ")
    assert substring in text, text
    if offset is not None:
        assert exc.offset == offset, text
        assert f"byte {offset}:" in text


# ------------------------------------------------------------------------ valid input


@pytest.mark.parametrize("big_endian", [False, True])
def test_sample_every_kind(big_endian: bool) -> None:
    f = _read(sample_builder(), big_endian)
    assert f.header.big_endian is big_endian
    assert f.header.version == 1 and f.header.hdr_len == 24
    assert f.types == len(SAMPLE_KINDS) == 41
    assert f.start_id == 1 and f.last_id == 41
    assert [f.kind(i) for i in range(1, 42)] == SAMPLE_KINDS
    assert {t.kind for t in f.iter_types()} == set(Kind) - {Kind.UNKN}
    assert f.kind(0) == Kind.UNKN and f.name(0) == "void"
    assert f.name(5) == "task_struct"
    assert f.name(3) == ""
    f.validate()


@pytest.mark.parametrize("big_endian", [False, True])
def test_decoded_details(big_endian: bool) -> None:
    f = _read(sample_builder(), big_endian)
    i32 = f.type_by_id(1)
    assert (i32.name, i32.size_or_type, i32.extra) == ("int", 4, (1, 0, 32))
    arr = f.type_by_id(4)
    assert arr.extra == (2, 1, 16)
    task = f.type_by_id(5)
    assert task.kind_flag
    assert [(m.name, m.type, m.bit_offset, m.bitfield_size) for m in task.members] == [
        ("pid", 1, 0, 0),
        ("comm", 4, 32, 0),
        ("flag", 1, 160, 3),
    ]
    assert [(v.name, v.value) for v in f.type_by_id(7).values] == [("A", 0), ("B", -1)]
    assert f.type_by_id(8).kind == Kind.FWD
    assert [(v.name, v.value) for v in f.type_by_id(23).values] == [
        ("X", 1 << 40),
        ("Y", 0xFFFFFFFFFFFFFFFF),
    ]
    var = f.type_by_id(18)
    assert (var.name, var.size_or_type, var.linkage) == ("counter", 1, "global")
    ds = f.type_by_id(19)
    assert ds.name == ".data" and [(s.type, s.offset, s.size) for s in ds.secinfos] == [(18, 0, 4)]
    assert f.type_by_id(20).name == "double"
    tag = f.type_by_id(29)
    assert (tag.name, tag.size_or_type, tag.extra) == ("nonnull", 26, (0,))
    assert f.type_by_id(17).extra == (-1,)
    assert f.type_by_id(21).name == "rcu"
    func = f.type_by_id(16)
    assert func.linkage == "global" and func.size_or_type == 15
    proto = f.type_by_id(25)
    assert [(p.name, p.type) for p in proto.params] == [("fmt", 24), ("", 0)]
    assert f.find_by_name("bpf_noop") == [31]
    assert f.find_by_name("int", Kind.INT) == [1]
    assert f.find_by_name("int", Kind.STRUCT) == []


@pytest.mark.parametrize("big_endian", [False, True])
def test_kfuncs(big_endian: bool) -> None:
    f = _read(sample_builder(), big_endian)
    ks = f.kfuncs()
    assert [k.btf_id for k in ks] == [16, 26, 31, 38]
    assert {k.name: k.proto for k in ks} == SAMPLE_PROTOS
    assert ks[1] == Kfunc(
        "bpf_printk_like", 26, SAMPLE_PROTOS["bpf_printk_like"], ("bpf_fastcall",)
    )
    assert all(k.tags == () for k in ks if k.name != "bpf_printk_like")
    assert (17, "bpf_kfunc", 16, -1) in f.decl_tags()
    assert (29, "nonnull", 26, 0) in f.decl_tags()


def test_render_type_variants() -> None:
    b = BtfBuilder()
    i32 = b.add_int("int", 4, signed=True)
    ch = b.add_int("char", 1, signed=True, char=True)
    pch = b.add_ptr(ch)
    cp = b.add_const(pch)  # char *const
    vcp = b.add_volatile(cp)  # char *const volatile
    ppch = b.add_ptr(cp)  # char *const *
    arr = b.add_array(pch, i32, 4)  # char *[4]
    arr2 = b.add_array(arr, i32, 2)  # char *[2][4]
    fwdu = b.add_fwd("anon_u", union=True)
    anon = b.add_struct("", 4, [])
    e64 = b.add_enum64("e", [("Z", 0)])
    proto = b.add_func_proto(pch, [("a", i32)])
    pfn = b.add_ptr(proto)
    ret_fn = b.add_func_proto(pfn, [("", ch)])  # char *(*f(char))(int a)
    cv = b.add_const(b.add_volatile(i32))
    rp = b.add_restrict(b.add_ptr(i32))
    tag = b.add_type_tag("percpu", i32)
    ptag = b.add_ptr(tag)
    f = _read(b)
    # (type, declarator, the C text): each declarator form once
    cases = [
        (i32, "x", "int x"),
        (cp, "p", "char *const p"),
        (cp, "", "char *const"),
        (vcp, "p", "char *const volatile p"),
        (ppch, "pp", "char *const *pp"),
        (arr, "a", "char *a[4]"),
        (arr2, "a", "char *a[2][4]"),
        (fwdu, "u", "union anon_u u"),
        (anon, "s", "struct {...} s"),
        (e64, "", "enum e"),
        (pfn, "cb", "char *(*cb)(int a)"),
        (ret_fn, "f", "char *(*f(char))(int a)"),
        (cv, "v", "const volatile int v"),
        (rp, "r", "int *restrict r"),
        (ptag, "q", "int *q"),
        (0, "", "void"),
    ]
    assert [f.render_type(t, d) for t, d, _ in cases] == [text for _, _, text in cases]


def test_layout_variants_header_extra_gap_and_strings_first() -> None:
    b = sample_builder()
    for blob in (
        b.build(hdr_extra=b"\0" * 8),
        b.build(gap=12),
        b.build(strings_first=True),
        b.build(True, strings_first=True, hdr_extra=b"\0" * 4),
    ):
        f = read_btf(blob, source="v")
        assert {k.name: k.proto for k in f.kfuncs()} == SAMPLE_PROTOS
    assert read_btf(b.build(hdr_extra=b"\0" * 8)).header.hdr_len == 32


def test_empty_type_section() -> None:
    f = read_btf(BtfBuilder().build())
    assert f.types == 0 and f.kfuncs() == [] and f.last_id == 0


def _split_pair(big_endian: bool = False) -> tuple[BtfFile, BtfFile, BtfBuilder]:
    base_b = sample_builder()
    split_b = BtfBuilder(base=base_b)
    # reuse base types and base strings; add own ones
    sk = split_b.add_struct("bpf_testmod_ctx", 8, [("cnt", 1, 0)])  # 42
    psk = split_b.add_ptr(sk)  # 43
    proto = split_b.add_func_proto(1, [("ctx", psk), ("t", 14)])  # 44
    fn = split_b.add_func("bpf_testmod_test_mod_kfunc", proto)  # 45
    split_b.add_decl_tag("bpf_kfunc", fn)  # 46
    split_b.add_decl_tag("bpf_fastcall", fn)  # 47
    split_b.add_typedef("int", 1)  # 48: name "int" resolves to the base string
    base = read_btf(base_b.build(big_endian), source="vmlinux")
    split = read_btf(split_b.build(big_endian), base=base, source="bpf_testmod")
    return base, split, split_b


@pytest.mark.parametrize("big_endian", [False, True])
def test_split_btf(big_endian: bool) -> None:
    base, split, split_b = _split_pair(big_endian)
    assert split.start_id == base.last_id + 1 == 42
    assert split.types == 7 and split.last_id == 48
    assert split.total_types == 48
    assert split.name(42) == "bpf_testmod_ctx"
    assert split.name(5) == "task_struct"  # a base type, through the split file
    assert split.name(48) == "int"
    assert split.type_by_id(48).offset == 24 + 4 * (3 + 3 + 3 + 3 + 2 * 2 + 3 + 4 + 4)
    # string offsets of the split file start after the base's string section
    assert split_b.str_off("cnt") == base.header.str_len  # first own string
    assert split.string_at(base.header.str_len) == "cnt"
    assert split.string_at(split_b.str_off("bpf_testmod_ctx")) == "bpf_testmod_ctx"
    assert split.string_at(base.header.str_len - 1) == ""  # the base's last NUL
    ks = split.kfuncs()
    assert ks == [
        Kfunc(
            "bpf_testmod_test_mod_kfunc",
            45,
            "int bpf_testmod_test_mod_kfunc(struct bpf_testmod_ctx *ctx, struct task_struct *t)",
            ("bpf_fastcall",),
        )
    ]
    split.validate()
    assert [k.btf_id for k in base.kfuncs()] == [16, 26, 31, 38]


def test_split_btf_read_without_base_fails_cleanly() -> None:
    _base, _split, split_b = _split_pair()
    # no base: the string section does not start with NUL / offsets point nowhere
    with pytest.raises(BtfFormatError) as ei:
        f = read_btf(split_b.build(), source="orphan")
        f.validate()
        f.kfuncs()
    _assert_err(ei.value, "orphan", "", None)


# ------------------------------------------------------------------------ bad input


def _hdr(blob: bytes, **fields: int) -> bytes:
    names = ["magic", "version", "flags", "hdr_len", "type_off", "type_len", "str_off", "str_len"]
    vals = dict(zip(names, struct.unpack_from("<HBBIIIII", blob), strict=True))
    vals.update(fields)
    return struct.pack("<HBBIIIII", *(vals[n] for n in names)) + blob[24:]


GOOD = sample_builder().build()
TYPE_LEN = struct.unpack_from("<I", GOOD, 12)[0]
STR_LEN = len(GOOD) - 24 - TYPE_LEN


@pytest.mark.parametrize(
    ("blob", "substring", "offset"),
    [
        (b"", "too short", 0),
        (b"\x9f", "too short", 1),
        (GOOD[:6], "too short", 6),
        (b"\x00\x00" + GOOD[2:], "bad magic 0x0000", 0),
        (GOOD[:2] + b"\x02" + GOOD[3:], "unsupported BTF version 2", 2),
        (_hdr(GOOD, hdr_len=8), "hdr_len 8 too small", 4),
        (_hdr(GOOD, hdr_len=1 << 31), "runs past end of file", 4),
        (GOOD[:20], "too short", None),
        (
            _hdr(GOOD, type_len=9996),
            f"type section runs past end of file (type_off 0 + type_len 9996 > {len(GOOD) - 24})",
            24,
        ),
        (_hdr(GOOD, type_off=0xFFFFFFF0), "type section runs past end of file", len(GOOD)),
        (_hdr(GOOD, str_len=STR_LEN + 1), "string section runs past end of file", None),
        (GOOD[:-1], "string section runs past end of file", None),
        (_hdr(GOOD, type_off=2, type_len=TYPE_LEN - 4), "not 4-byte aligned", 8),
        (_hdr(GOOD, type_len=TYPE_LEN - 2), "not a multiple of 4", 12),
        (_hdr(GOOD, str_off=TYPE_LEN - 8, str_len=8), "overlap", 16),
        (_hdr(GOOD, str_len=0, str_off=TYPE_LEN), "empty string section", 20),
        (GOOD[:-1] + b"x", "not NUL-terminated", len(GOOD) - 1),
        (GOOD[: 24 + TYPE_LEN] + b"x" + GOOD[25 + TYPE_LEN :], "does not start with NUL", None),
    ],
)
def test_header_and_section_errors(blob: bytes, substring: str, offset: int | None) -> None:
    with pytest.raises(BtfFormatError) as ei:
        read_btf(blob, source="/tmp/x.btf")
    _assert_err(ei.value, "/tmp/x.btf", substring, offset)


def test_type_errors() -> None:
    # unknown kind
    b = BtfBuilder()
    b.add_int("int", 4)
    b.add_raw([0, 25 << 24, 0])
    with pytest.raises(BtfFormatError) as ei:
        _read(b)
    _assert_err(ei.value, "sample.btf", "type 2: unknown kind 25", 24 + 16 + 4)
    # kind 0 (UNKN) is not allowed either
    b = BtfBuilder()
    b.add_raw([0, 0, 0])
    with pytest.raises(BtfFormatError, match="unknown kind 0"):
        _read(b)
    # trailing data runs past the section: a struct claiming 100 members
    b = BtfBuilder()
    b.add_int("int", 4)
    b.add_raw([0, BtfBuilder.info("STRUCT", 100), 4, 0, 1, 0])
    with pytest.raises(BtfFormatError) as ei:
        _read(b)
    _assert_err(ei.value, "sample.btf", "type 2 (STRUCT, vlen 100) runs past the end", 24 + 16)
    # leftover words that cannot hold a btf_type
    b = BtfBuilder()
    b.add_int("int", 4)
    b.add_raw([0, 0])
    with pytest.raises(BtfFormatError) as ei:
        _read(b)
    _assert_err(ei.value, "sample.btf", "truncated type 2", 24 + 16)


def test_lazy_reference_errors() -> None:
    b = BtfBuilder()
    i32 = b.add_int("int", 4)
    bad_name = b.add_raw([999_999, BtfBuilder.info("TYPEDEF"), i32])  # 2
    bad_proto = b.add_func_proto(i32, [("x", 4242)])  # 3
    fn = b.add_func("f", bad_proto)  # 4
    b.add_decl_tag("bpf_kfunc", fn)  # 5
    f = _read(b)
    with pytest.raises(BtfFormatError) as ei:
        f.name(bad_name)
    _assert_err(ei.value, "sample.btf", "name offset 999999 outside the string section", 24 + 16)
    with pytest.raises(BtfFormatError) as ei:
        f.kfuncs()
    # the param's type field: proto at 24+16+12, params start 12 bytes in, type is +4
    _assert_err(ei.value, "sample.btf", "type ID 4242 out of range", 24 + 16 + 12 + 12 + 4)
    with pytest.raises(BtfFormatError):
        f.validate()
    with pytest.raises(ValueError, match="no type ID 77"):
        f.kind(77)


def test_decl_tag_and_func_errors() -> None:
    b = BtfBuilder()
    b.add_decl_tag("bpf_kfunc", 50)
    with pytest.raises(BtfFormatError, match="type ID 50 out of range"):
        _read(b).kfuncs()
    b = BtfBuilder()
    i32 = b.add_int("int", 4)
    fn = b.add_func("f", i32)  # FUNC whose type is not a FUNC_PROTO
    b.add_decl_tag("bpf_kfunc", fn)
    with pytest.raises(BtfFormatError, match="does not point to a FUNC_PROTO"):
        _read(b).kfuncs()
    b = BtfBuilder()
    i32 = b.add_int("int", 4)
    b.add_decl_tag("bpf_kfunc", i32)  # a tag on a non-FUNC is not a kfunc
    b.add_decl_tag("bpf_kfunc", 0)
    assert _read(b).kfuncs() == []
    b = BtfBuilder()
    proto = b.add_func_proto(0, [])
    fn = b.add_func("g", proto)
    pfn = b.add_ptr(fn)  # pointer to a FUNC (not a FUNC_PROTO): invalid as a data type
    with pytest.raises(BtfFormatError, match="used as a data type"):
        _read(b).render_type(pfn, "x")


def test_cycles_and_blowup_are_reported() -> None:
    b = BtfBuilder()
    p = b.add_ptr(2)  # 1 -> 2
    b.add_typedef("loop", 1)  # 2 -> 1
    c = b.add_const(4)  # 3 -> 4
    b.add_volatile(3)  # 4 -> 3
    proto = b.add_func_proto(0, [("a", p), ("b", c)])
    fn = b.add_func("cyc", proto)
    b.add_decl_tag("bpf_kfunc", fn)
    f = _read(b)
    with pytest.raises(BtfFormatError, match="deeper than"):
        f.kfuncs()
    with pytest.raises(BtfFormatError, match="deeper than"):
        f.render_type(c)
    # exponential fan-out: every proto takes two pointers to the next one
    b = BtfBuilder()
    prev = b.add_int("int", 4)
    for _ in range(30):
        proto = b.add_func_proto(prev, [("a", prev), ("b", prev)])
        prev = b.add_ptr(proto)
    f = _read(b)
    with pytest.raises(BtfFormatError, match=r"too complex|longer than"):
        f.render_type(prev, "x")


def test_read_btf_file(tmp_path: Path) -> None:
    path = tmp_path / "s.btf"
    path.write_bytes(GOOD)
    f = read_btf_file(path)
    assert f.source == str(path) and f.types == 41
    bad = tmp_path / "bad.btf"
    bad.write_bytes(_hdr(GOOD, type_len=9996))
    with pytest.raises(BtfFormatError) as ei:
        read_btf_file(bad)
    _assert_err(ei.value, str(bad), "type_len 9996", 24)
    with pytest.raises(OSError):
        read_btf_file(tmp_path / "missing.btf")
    assert read_btf(bytearray(GOOD)).types == 41
    assert read_btf(memoryview(GOOD)).types == 41


# ------------------------------------------------------------------------ real kernel


def _bpftool() -> str | None:
    for cand in (shutil.which("bpftool"), "/usr/sbin/bpftool"):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


def test_real_vmlinux_against_bpftool() -> None:
    if not os.path.exists(DEFAULT_VMLINUX):
        pytest.skip(f"{DEFAULT_VMLINUX} not present (kernel without CONFIG_DEBUG_INFO_BTF)")
    try:
        f = read_btf_file(DEFAULT_VMLINUX)
    except PermissionError as e:
        pytest.skip(f"{DEFAULT_VMLINUX} not readable: {e}")
    ks = f.kfuncs()
    assert [k.btf_id for k in ks] == sorted(k.btf_id for k in ks)
    assert all(f.kind(k.btf_id) == Kind.FUNC for k in ks)
    assert all(k.proto.count("(") >= 1 and k.name in k.proto for k in ks)
    tool = _bpftool()
    if tool is None:
        pytest.skip("bpftool not installed (apt-get install bpftool)")
    proc = subprocess.run(
        [tool, "btf", "dump", "file", DEFAULT_VMLINUX],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        pytest.skip(f"bpftool failed: {proc.stderr.strip()[:200]}")
    pat = re.compile(r"^\[(\d+)\] DECL_TAG 'bpf_kfunc' type_id=(\d+) component_idx=-1$")
    expected = {int(m.group(2)) for m in map(pat.match, proc.stdout.splitlines()) if m}
    assert {k.btf_id for k in ks} == expected
    n_types = sum(1 for line in proc.stdout.splitlines() if line.startswith("["))
    assert f.types == n_types
    names = {
        int(m.group(1)): m.group(2)
        for m in re.finditer(r"^\[(\d+)\] FUNC '([^']*)'", proc.stdout, re.MULTILINE)
    }
    assert all(names[k.btf_id] == k.name for k in ks)


# ------------------------------------------------------------------------ CLI


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kfunc-explorer")
    sub = parser.add_subparsers()
    btf_cmd.register(sub)
    args = parser.parse_args(["btf", *argv])
    rc: int = args.func(args)
    return rc


def test_cli_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.btf"
    path.write_bytes(GOOD)
    assert _cli([str(path), "--json"]) == 0
    out = capsys.readouterr()
    doc = json.loads(out.out)
    assert doc["file"] == str(path) and doc["types"] == 41
    assert [k["btf_id"] for k in doc["kfuncs"]] == [16, 26, 31, 38]
    assert set(doc["kfuncs"][0]) == {"name", "btf_id", "proto", "tags"}
    assert doc["kfuncs"][1]["tags"] == ["bpf_fastcall"]
    assert {k["name"]: k["proto"] for k in doc["kfuncs"]} == SAMPLE_PROTOS


def test_cli_split_and_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, _split, split_b = _split_pair()
    (tmp_path / "vmlinux").write_bytes(sample_builder().build())
    (tmp_path / "mod").write_bytes(split_b.build())
    assert _cli([str(tmp_path / "vmlinux"), str(tmp_path / "mod"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["types"] == 48
    assert [k["btf_id"] for k in doc["kfuncs"]] == [16, 26, 31, 38, 45]
    assert _cli([str(tmp_path / "vmlinux"), str(tmp_path / "mod")]) == 0
    out = capsys.readouterr().out
    assert "bpf_testmod_test_mod_kfunc" in out and "bpf_task_acquire" in out
    assert "48 types read" in out and "5 kfuncs found" in out
    assert base.types == 41


@pytest.mark.parametrize(
    ("content", "expect"),
    [
        (b"", "too short"),
        (b"\x00" * 64, "bad magic"),
        (_hdr(GOOD, type_len=9996), "type section runs past end of file"),
    ],
)
def test_cli_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expect: str
) -> None:
    path = tmp_path / "bad.btf"
    path.write_bytes(content)
    for extra in ([], ["--json"]):
        assert _cli([str(path), *extra]) == 2
        out = capsys.readouterr()
        assert out.out == ""
        lines = out.err.splitlines()
        assert len(lines) == 1 and expect in lines[0]
        assert lines[0].startswith(f"kfunc-explorer btf: {path}: byte ")
        assert "Traceback" not in out.err


def test_cli_bad_module_and_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "vmlinux"
    good.write_bytes(GOOD)
    bad = tmp_path / "mod"
    bad.write_bytes(b"\x9f\xeb\x01")
    assert _cli([str(good), str(bad)]) == 2
    assert capsys.readouterr().err.strip().startswith(f"kfunc-explorer btf: {bad}: byte ")
    missing = tmp_path / "nope"
    assert _cli([str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"kfunc-explorer btf: {missing}: cannot read: ")
    assert _cli([str(tmp_path)]) == 2  # a directory
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"kfunc-explorer btf: {tmp_path}: cannot read: ")


def test_cli_default_path(capsys: pytest.CaptureFixture[str]) -> None:
    rc = _cli([])
    out = capsys.readouterr()
    if os.path.exists(DEFAULT_VMLINUX) and os.access(DEFAULT_VMLINUX, os.R_OK):
        assert rc == 0 and "kfuncs found" in out.out
    else:
        assert rc == 2
        assert out.err.startswith(f"kfunc-explorer btf: {DEFAULT_VMLINUX}: cannot read: ")
