"""Fuzz the raw BTF reader: corrupted blobs may only ever raise BtfFormatError (one line)."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.btf.reader import BtfFile, BtfFormatError, read_btf

sys.path.insert(0, str(Path(__file__).parent))
from btf_builder import BtfBuilder, sample_builder

SOURCE = "fuzz.btf"


def _split_builder(base: BtfBuilder) -> BtfBuilder:
    s = BtfBuilder(base=base)
    sk = s.add_struct("mod_ctx", 8, [("cnt", 1, 0), ("bits", 2, 32, 4)])
    proto = s.add_func_proto(1, [("ctx", s.add_ptr(sk)), ("t", 14)], variadic=True)
    fn = s.add_func("mod_kfunc", proto)
    s.add_decl_tag("bpf_kfunc", fn)
    s.add_decl_tag("sleepable", fn)
    s.add_enum64("mod_e", [("M", -5)], signed=True)
    return s


_BASE_B = sample_builder()
_SPLIT_B = _split_builder(_BASE_B)
SEEDS: list[bytes] = [
    _BASE_B.build(),
    _BASE_B.build(True),
    _BASE_B.build(strings_first=True, hdr_extra=b"\0" * 8),
    BtfBuilder().build(),
]
BASE_FILE = read_btf(_BASE_B.build(), source="vmlinux")
SPLIT_SEED = _SPLIT_B.build()


def _exercise(f: BtfFile) -> None:
    """Touch everything the reader can decode lazily."""
    f.kfuncs()
    for tid in range(f.start_id, f.last_id + 1):
        f.kind(tid)
        f.name(tid)
        f.type_by_id(tid)
        try:
            f.render_type(tid, "x")
        except BtfFormatError as e:
            _check(e)
    f.validate()


def _check(e: BtfFormatError) -> None:
    text = str(e)
    assert "\n" not in text and "\r" not in text
    assert text.startswith(f"{SOURCE}: byte ")
    assert "byte" in text
    assert isinstance(e.offset, int)


def _run(blob: bytes, base: BtfFile | None = None) -> None:
    try:
        f = read_btf(blob, base=base, source=SOURCE)
        _exercise(f)
    except BtfFormatError as e:
        _check(e)


def _mutate(blob: bytes, ops: list[tuple[int, int, int]]) -> bytes:
    data = bytearray(blob)
    for op, pos, val in ops:
        if not data:
            data = bytearray(val.to_bytes(4, "little"))
        i = pos % len(data)
        if op == 0:  # bit flip
            data[i] ^= 1 << (val % 8)
        elif op == 1:  # byte set
            data[i] = val & 0xFF
        elif op == 2:  # truncate
            del data[i:]
        elif op == 3:  # 32-bit word set (aligned), e.g. a length, type ID or info word
            j = i - i % 4
            data[j : j + 4] = (val & 0xFFFFFFFF).to_bytes(4, "little")[: len(data) - j]
        elif op == 4:  # insert junk
            data[i:i] = val.to_bytes(4, "little")
        elif op == 5:  # delete a word
            del data[i : i + 4]
    return bytes(data)


OPS = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.integers(0, 1 << 16),
        st.one_of(
            st.integers(0, 0xFFFFFFFF),
            st.sampled_from([0, 1, 2, 3, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF]),
        ),
    ),
    min_size=1,
    max_size=6,
)
HEADER_FIELD = st.one_of(
    st.integers(0, 64),
    st.integers(0, 0xFFFFFFFF),
    st.sampled_from([0xFFFFFFFF, 0xFFFFFFFC, 0x80000000, 24, 4, 8]),
)
SETTINGS = settings(
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


@SETTINGS
@given(seed=st.sampled_from(range(len(SEEDS))), ops=OPS)
def test_fuzz_mutations(seed: int, ops: list[tuple[int, int, int]]) -> None:
    _run(_mutate(SEEDS[seed], ops))


@settings(max_examples=600, deadline=None, database=None)
@given(ops=OPS)
def test_fuzz_split_mutations(ops: list[tuple[int, int, int]]) -> None:
    _run(_mutate(SPLIT_SEED, ops), base=BASE_FILE)


@settings(max_examples=800, deadline=None, database=None)
@given(
    seed=st.sampled_from(range(len(SEEDS))),
    big=st.booleans(),
    fields=st.lists(st.tuples(st.integers(0, 5), HEADER_FIELD), min_size=1, max_size=4),
)
def test_fuzz_header_fields(seed: int, big: bool, fields: list[tuple[int, int]]) -> None:
    blob = bytearray(SEEDS[seed])
    order = ">" if big else "<"
    hdr = list(struct.unpack_from(order + "HBBIIIII", blob)) if len(blob) >= 24 else []
    if not hdr:
        return
    for idx, val in fields:
        hdr[3 + idx % 5] = val & 0xFFFFFFFF  # hdr_len, type_off, type_len, str_off, str_len
    struct.pack_into(order + "HBBIIIII", blob, 0, *hdr)
    _run(bytes(blob))


@settings(max_examples=500, deadline=None, database=None)
@given(
    body=st.binary(max_size=512),
    words=st.lists(st.integers(0, 0xFFFFFFFF), max_size=64),
    big=st.booleans(),
)
def test_fuzz_random_type_section(body: bytes, words: list[int], big: bool) -> None:
    """A valid header and string table around random type words (random kinds and lengths)."""
    order = ">" if big else "<"
    types = struct.pack(f"{order}{len(words)}I", *words) + body[: len(body) - len(body) % 4]
    strs = b"\0int\0bpf_kfunc\0f\0" + body[:16] + b"\0"
    hdr = struct.pack(f"{order}HBBIIIII", 0xEB9F, 1, 0, 24, 0, len(types), len(types), len(strs))
    _run(hdr + types + strs)


@settings(max_examples=300, deadline=None, database=None)
@given(data=st.binary(max_size=200))
def test_fuzz_arbitrary_bytes(data: bytes) -> None:
    _run(data)
    _run(b"\x9f\xeb\x01\x00" + data)
