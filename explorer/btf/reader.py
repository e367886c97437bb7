"""A fast, defensive reader for raw BTF (BPF Type Format) files.

Reads the files the kernel exposes under ``/sys/kernel/btf/`` (``vmlinux`` and, as *split* BTF on
top of it, one file per module), and lists the kfuncs they declare: every ``FUNC`` type that is the
target of a ``DECL_TAG`` named ``bpf_kfunc`` with ``component_idx == -1``.

Layout of a raw BTF file (all integers in the file's byte order)::

    struct btf_header { u16 magic = 0xeB9F; u8 version = 1; u8 flags; u32 hdr_len;
                        u32 type_off; u32 type_len; u32 str_off; u32 str_len; }
    type section:   (hdr_len + type_off) .. + type_len  -- a run of 12-byte btf_type records, each
                    followed by kind-specific trailing data
    string section: (hdr_len + str_off) .. + str_len    -- NUL-terminated strings, starting with ""

Design for speed: the type section is copied once into an ``array('I')`` of 32-bit words (byte
swapped when the file's order is not the host's), one tight loop records the word offset of each
type, and everything else (names, kinds, members, rendered prototypes) is decoded lazily from
those words. No per-type objects are created while reading.

Design for safety: every length is checked against the real buffer before it is used; every
problem is reported as a :class:`BtfFormatError` whose text is one line naming the source and the
absolute byte offset of the offending field. Rendering is guarded against cyclic or absurdly deep
type chains and against runaway output.

This module uses only the standard library and imports nothing else from the project.
"""

from __future__ import annotations

import array
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

__all__ = [
    "BTF_MAGIC",
    "BTF_VERSION",
    "DEFAULT_VMLINUX",
    "HEADER_SIZE",
    "KFUNC_TAG",
    "BtfEnumValue",
    "BtfFile",
    "BtfFormatError",
    "BtfHeader",
    "BtfMember",
    "BtfParam",
    "BtfType",
    "BtfVarSecinfo",
    "Kfunc",
    "Kind",
    "read_btf",
    "read_btf_file",
]

BTF_MAGIC = 0xEB9F
BTF_VERSION = 1
HEADER_SIZE = 24
MAX_TYPE_ID = 0x000FFFFF  # BTF_MAX_TYPE
DEFAULT_VMLINUX = "/sys/kernel/btf/vmlinux"
KFUNC_TAG = "bpf_kfunc"

# Rendering guards: depth of one type chain, number of type nodes visited for one rendering,
# and the length of one rendered declaration. Real kernel prototypes use a few dozen nodes.
MAX_RENDER_DEPTH = 100
MAX_RENDER_NODES = 50_000
MAX_RENDER_CHARS = 64 * 1024


class Kind(IntEnum):
    """BTF_KIND_* values (bits 24..28 of ``btf_type.info``)."""

    UNKN = 0
    INT = 1
    PTR = 2
    ARRAY = 3
    STRUCT = 4
    UNION = 5
    ENUM = 6
    FWD = 7
    TYPEDEF = 8
    VOLATILE = 9
    CONST = 10
    RESTRICT = 11
    FUNC = 12
    FUNC_PROTO = 13
    VAR = 14
    DATASEC = 15
    FLOAT = 16
    DECL_TAG = 17
    TYPE_TAG = 18
    ENUM64 = 19


# Size of each kind's record in 32-bit words: a fixed part (the 3-word btf_type plus fixed
# trailing data) and a per-vlen part. -1 marks kinds that must not appear in the type section.
_FIXED_WORDS: tuple[int, ...] = (
    -1,  # UNKN
    4,  # INT: u32 encoding
    3,  # PTR
    6,  # ARRAY: struct btf_array {type, index_type, nelems}
    3,  # STRUCT: vlen * btf_member {name_off, type, offset}
    3,  # UNION
    3,  # ENUM: vlen * btf_enum {name_off, val}
    3,  # FWD
    3,  # TYPEDEF
    3,  # VOLATILE
    3,  # CONST
    3,  # RESTRICT
    3,  # FUNC
    3,  # FUNC_PROTO: vlen * btf_param {name_off, type}
    4,  # VAR: struct btf_var {linkage}
    3,  # DATASEC: vlen * btf_var_secinfo {type, offset, size}
    3,  # FLOAT
    4,  # DECL_TAG: struct btf_decl_tag {s32 component_idx}
    3,  # TYPE_TAG
    3,  # ENUM64: vlen * btf_enum64 {name_off, val_lo32, val_hi32}
) + (-1,) * 12
_VLEN_WORDS: tuple[int, ...] = (0, 0, 0, 0, 3, 3, 2, 0, 0, 0, 0, 0, 0, 2, 0, 3, 0, 0, 0, 3) + (
    0,
) * 12

_KIND_NAMES: dict[int, str] = {k.value: k.name for k in Kind}
_QUALIFIERS: dict[int, str] = {
    Kind.CONST: "const",
    Kind.VOLATILE: "volatile",
    Kind.RESTRICT: "restrict",
}
_LINKAGE_FUNC = {0: "static", 1: "global", 2: "extern"}

_HEADER_LE = struct.Struct("<HBBIIIII")
_HEADER_BE = struct.Struct(">HBBIIIII")
_HOST_LITTLE = sys.byteorder == "little"


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


class BtfFormatError(Exception):
    """A malformed BTF file. ``str()`` is one line: ``<source>: byte <offset>: <reason>``."""

    def __init__(self, source: str, offset: int, reason: str) -> None:
        self.source = _one_line(source)
        self.offset = offset
        self.reason = _one_line(reason)
        super().__init__(f"{self.source}: byte {offset}: {self.reason}")


@dataclass(frozen=True, slots=True)
class BtfHeader:
    magic: int
    version: int
    flags: int
    hdr_len: int
    type_off: int
    type_len: int
    str_off: int
    str_len: int
    big_endian: bool


@dataclass(frozen=True, slots=True)
class Kfunc:
    """One kfunc: its FUNC type's BTF ID, name, C-like prototype and its other decl tags."""

    name: str
    btf_id: int
    proto: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BtfMember:
    """A STRUCT/UNION member. ``bit_offset``/``bitfield_size`` follow the kind_flag encoding."""

    name: str
    type: int
    bit_offset: int
    bitfield_size: int


@dataclass(frozen=True, slots=True)
class BtfEnumValue:
    name: str
    value: int


@dataclass(frozen=True, slots=True)
class BtfParam:
    """A FUNC_PROTO parameter; ``type == 0`` with an empty name as the last one means ``...``."""

    name: str
    type: int


@dataclass(frozen=True, slots=True)
class BtfVarSecinfo:
    type: int
    offset: int
    size: int


@dataclass(frozen=True, slots=True)
class BtfType:
    """A fully decoded type (built on demand; the reader itself keeps only raw words).

    ``size_or_type`` is the third word of ``btf_type``: a size for INT, STRUCT, UNION, ENUM,
    ENUM64, DATASEC and FLOAT, a type ID for PTR, TYPEDEF, qualifiers, FUNC, FUNC_PROTO (return
    type), VAR, DECL_TAG and TYPE_TAG. ``extra`` holds fixed trailing data: INT ``(encoding,
    bit_offset, bits)``, ARRAY ``(elem_type, index_type, nelems)``, VAR ``(linkage,)``, DECL_TAG
    ``(component_idx,)``.
    """

    id: int
    kind: Kind
    name: str
    kind_flag: bool
    vlen: int
    size_or_type: int
    offset: int
    extra: tuple[int, ...] = ()
    members: tuple[BtfMember, ...] = ()
    values: tuple[BtfEnumValue, ...] = ()
    params: tuple[BtfParam, ...] = ()
    secinfos: tuple[BtfVarSecinfo, ...] = ()

    @property
    def linkage(self) -> str:
        """FUNC linkage (stored in vlen) or VAR linkage, as a word."""
        if self.kind == Kind.FUNC:
            return _LINKAGE_FUNC.get(self.vlen, str(self.vlen))
        if self.kind == Kind.VAR and self.extra:
            return {0: "static", 1: "global"}.get(self.extra[0], str(self.extra[0]))
        return ""


class _RenderState:
    __slots__ = ("depth", "nodes", "root", "where")

    def __init__(self, root: int, where: int) -> None:
        self.depth = 0
        self.nodes = 0
        self.root = root
        self.where = where


class BtfFile:
    """One parsed BTF file (possibly split BTF on top of ``base``).

    Own type IDs are ``start_id .. last_id``; IDs below ``start_id`` belong to the base chain and
    ID 0 is ``void``. ``types`` is the number of types in this file (not counting the base's).
    """

    __slots__ = (
        "_cache_names",
        "_data",
        "_decl_tags",
        "_offs",
        "_str_base",
        "_str_end",
        "_str_start",
        "_type_start",
        "_words",
        "base",
        "header",
        "source",
        "start_id",
        "types",
    )

    def __init__(
        self,
        data: bytes,
        source: str,
        base: BtfFile | None,
        header: BtfHeader,
        type_start: int,
        words: array.array[int],
        offs: array.array[int],
        decl_tags: list[int],
        str_start: int,
        str_end: int,
    ) -> None:
        self._data = data
        self.source = source
        self.base = base
        self.header = header
        self._type_start = type_start
        self._words = words
        self._offs = offs
        self._decl_tags = decl_tags
        self._str_start = str_start
        self._str_end = str_end
        self._str_base = base.str_total if base is not None else 0
        self.start_id = base.last_id + 1 if base is not None else 1
        self.types = len(offs)
        self._cache_names: dict[int, str] = {}

    # ----------------------------------------------------------------------------- basics

    def __repr__(self) -> str:
        return (
            f"BtfFile({self.source!r}, types={self.types}, ids={self.start_id}..{self.last_id}, "
            f"{'big' if self.header.big_endian else 'little'}-endian)"
        )

    @property
    def last_id(self) -> int:
        """The highest type ID defined here (``start_id - 1`` when the file has no types)."""
        return self.start_id + self.types - 1

    @property
    def str_total(self) -> int:
        """Size of the string offset space up to and including this file's strings."""
        return self._str_base + (self._str_end - self._str_start)

    @property
    def total_types(self) -> int:
        """Types in this file and its whole base chain."""
        return self.types + (self.base.total_types if self.base is not None else 0)

    def _err(self, offset: int, reason: str) -> BtfFormatError:
        return BtfFormatError(self.source, offset, reason)

    def _abs(self, word: int) -> int:
        """Absolute byte offset in the file of a word of the type section."""
        return self._type_start + 4 * word

    def string_at(self, off: int, where: int = -1) -> str:
        """The NUL-terminated string at string offset ``off`` (base strings come first).

        ``where`` is the byte offset of the field holding ``off``, for error messages.
        """
        cached = self._cache_names.get(off)
        if cached is not None:
            return cached
        if off < self._str_base:
            assert self.base is not None
            return self.base.string_at(off, where)
        start = self._str_start + (off - self._str_base)
        if start >= self._str_end:
            raise self._err(
                where if where >= 0 else self._str_start,
                f"name offset {off} outside the string section "
                f"(strings span offsets {self._str_base}..{self.str_total - 1})",
            )
        # The section's last byte is checked to be NUL at load time, so find() always succeeds.
        end = self._data.find(b"\0", start, self._str_end)
        if end < 0:  # pragma: no cover - defended at load time
            raise self._err(start, "string is not NUL-terminated")
        text = self._data[start:end].decode("utf-8", "replace")
        self._cache_names[off] = text
        return text

    def _locate(self, type_id: int, where: int) -> tuple[BtfFile, int]:
        """(file holding ``type_id``, word offset of its btf_type)."""
        f: BtfFile | None = self
        while f is not None:
            if type_id >= f.start_id:
                if type_id > f.last_id:
                    break
                return f, f._offs[type_id - f.start_id]
            f = f.base
        if where < 0:
            raise ValueError(
                f"{self.source}: no type ID {type_id} (valid IDs are 0..{self.last_id})"
            )
        raise self._err(
            where,
            f"type ID {type_id} out of range (valid IDs are 0..{self.last_id})",
        )

    def _check_id(self, type_id: int, where: int) -> None:
        if type_id != 0:
            self._locate(type_id, where)

    # ------------------------------------------------------------------------ type access

    def kind(self, type_id: int) -> Kind:
        """The kind of a type (``UNKN`` for void, ID 0)."""
        if type_id == 0:
            return Kind.UNKN
        f, o = self._locate(type_id, -1)
        return Kind((f._words[o + 1] >> 24) & 0x1F)

    def name(self, type_id: int) -> str:
        """The name of a type ('' when anonymous, 'void' for ID 0)."""
        if type_id == 0:
            return "void"
        f, o = self._locate(type_id, -1)
        return f.string_at(f._words[o], f._abs(o))

    def type_by_id(self, type_id: int) -> BtfType:
        """Decode one type completely (names, members, values, params ...)."""
        if type_id == 0:
            return BtfType(0, Kind.UNKN, "void", False, 0, 0, -1)
        f, o = self._locate(type_id, -1)
        return f._decode(type_id, o)

    def _decode(self, type_id: int, o: int) -> BtfType:
        w = self._words
        at = self._abs(o)
        info = w[o + 1]
        kind = Kind((info >> 24) & 0x1F)
        kflag = bool(info >> 31)
        vlen = info & 0xFFFF
        sot = w[o + 2]
        name = self.string_at(w[o], at)
        extra: tuple[int, ...] = ()
        members: tuple[BtfMember, ...] = ()
        values: tuple[BtfEnumValue, ...] = ()
        params: tuple[BtfParam, ...] = ()
        secinfos: tuple[BtfVarSecinfo, ...] = ()
        p = o + 3
        if kind == Kind.INT:
            enc = w[p]
            extra = ((enc >> 24) & 0x0F, (enc >> 16) & 0xFF, enc & 0xFF)
        elif kind == Kind.ARRAY:
            extra = (w[p], w[p + 1], w[p + 2])
        elif kind in (Kind.VAR, Kind.DECL_TAG):
            v = w[p]
            if kind == Kind.DECL_TAG and v >= 0x80000000:
                v -= 1 << 32
            extra = (v,)
        elif kind in (Kind.STRUCT, Kind.UNION):
            members = tuple(
                BtfMember(
                    self.string_at(w[p + 3 * i], self._abs(p + 3 * i)),
                    w[p + 3 * i + 1],
                    w[p + 3 * i + 2] & 0xFFFFFF if kflag else w[p + 3 * i + 2],
                    w[p + 3 * i + 2] >> 24 if kflag else 0,
                )
                for i in range(vlen)
            )
        elif kind == Kind.ENUM:
            vals = []
            for i in range(vlen):
                v = w[p + 2 * i + 1]
                if kflag and v >= 0x80000000:
                    v -= 1 << 32
                vals.append(BtfEnumValue(self.string_at(w[p + 2 * i], self._abs(p + 2 * i)), v))
            values = tuple(vals)
        elif kind == Kind.ENUM64:
            vals = []
            for i in range(vlen):
                v = w[p + 3 * i + 1] | (w[p + 3 * i + 2] << 32)
                if kflag and v >= 1 << 63:
                    v -= 1 << 64
                vals.append(BtfEnumValue(self.string_at(w[p + 3 * i], self._abs(p + 3 * i)), v))
            values = tuple(vals)
        elif kind == Kind.FUNC_PROTO:
            params = tuple(
                BtfParam(self.string_at(w[p + 2 * i], self._abs(p + 2 * i)), w[p + 2 * i + 1])
                for i in range(vlen)
            )
        elif kind == Kind.DATASEC:
            secinfos = tuple(
                BtfVarSecinfo(w[p + 3 * i], w[p + 3 * i + 1], w[p + 3 * i + 2]) for i in range(vlen)
            )
        return BtfType(
            type_id, kind, name, kflag, vlen, sot, at, extra, members, values, params, secinfos
        )

    def iter_types(self) -> Iterator[BtfType]:
        """Decode this file's own types in ID order."""
        for j, o in enumerate(self._offs):
            yield self._decode(self.start_id + j, o)

    def find_by_name(self, name: str, kind: Kind | None = None) -> list[int]:
        """IDs of this file's own types called ``name`` (optionally of one kind)."""
        w = self._words
        found: list[int] = []
        for j, o in enumerate(self._offs):
            if kind is not None and (w[o + 1] >> 24) & 0x1F != kind:
                continue
            if self.string_at(w[o], self._abs(o)) == name:
                found.append(self.start_id + j)
        return found

    def validate(self) -> None:
        """Check every name offset and every type reference of this file's own types.

        Reading is lazy; this walks everything once and raises :class:`BtfFormatError` on the
        first problem.
        """
        for t in self.iter_types():
            at = t.offset
            if t.kind in (
                Kind.PTR,
                Kind.TYPEDEF,
                Kind.VOLATILE,
                Kind.CONST,
                Kind.RESTRICT,
                Kind.FUNC,
                Kind.FUNC_PROTO,
                Kind.VAR,
                Kind.DECL_TAG,
                Kind.TYPE_TAG,
            ):
                self._check_id(t.size_or_type, at + 8)
            if t.kind == Kind.ARRAY:
                self._check_id(t.extra[0], at + 12)
                self._check_id(t.extra[1], at + 16)
            for i, m in enumerate(t.members):
                self._check_id(m.type, at + 12 + 12 * i + 4)
            for i, prm in enumerate(t.params):
                self._check_id(prm.type, at + 12 + 8 * i + 4)
            for i, s in enumerate(t.secinfos):
                self._check_id(s.type, at + 12 + 12 * i)

    # ------------------------------------------------------------------------- rendering

    def render_type(self, type_id: int, declarator: str = "") -> str:
        """C-like declaration of ``declarator`` with type ``type_id`` (e.g. ``char *name``)."""
        st = _RenderState(type_id, -1)
        return self._render(type_id, declarator, st, -1)

    def render_func(self, type_id: int) -> str:
        """C-like prototype of a FUNC type, e.g. ``int bpf_foo(struct sk_buff *skb, ...)``."""
        f, o = self._locate(type_id, -1)
        at = f._abs(o)
        kind = (f._words[o + 1] >> 24) & 0x1F
        if kind != Kind.FUNC:
            raise f._err(at + 4, f"type {type_id} is {_KIND_NAMES[kind]}, not FUNC")
        name = f.string_at(f._words[o], at)
        proto = f._words[o + 2]
        if proto == 0 or f.kind_at(proto, at + 8) != Kind.FUNC_PROTO:
            raise f._err(at + 8, f"FUNC {name!r} (type {type_id}) does not point to a FUNC_PROTO")
        st = _RenderState(type_id, at + 8)
        return f._render(proto, name, st, at + 8)

    def kind_at(self, type_id: int, where: int) -> Kind:
        if type_id == 0:
            return Kind.UNKN
        f, o = self._locate(type_id, where)
        return Kind((f._words[o + 1] >> 24) & 0x1F)

    def _render(self, type_id: int, decl: str, st: _RenderState, where: int) -> str:
        st.nodes += 1
        if st.depth >= MAX_RENDER_DEPTH:
            raise self._err(
                where,
                f"type chain deeper than {MAX_RENDER_DEPTH} (cyclic?) "
                f"while rendering type {st.root}",
            )
        if st.nodes > MAX_RENDER_NODES:
            raise self._err(
                where, f"type {st.root} is too complex to render (> {MAX_RENDER_NODES} nodes)"
            )
        if len(decl) > MAX_RENDER_CHARS:
            raise self._err(
                where, f"rendering of type {st.root} longer than {MAX_RENDER_CHARS} characters"
            )
        if type_id == 0:
            return f"void {decl}" if decl else "void"
        f, o = self._locate(type_id, where)
        w = f._words
        at = f._abs(o)
        info = w[o + 1]
        kind = (info >> 24) & 0x1F
        st.depth += 1
        try:
            if kind in (Kind.INT, Kind.FLOAT, Kind.TYPEDEF):
                base = f.string_at(w[o], at) or f"<anon {_KIND_NAMES[kind]} {type_id}>"
            elif kind in (Kind.STRUCT, Kind.UNION, Kind.ENUM, Kind.ENUM64, Kind.FWD):
                if kind == Kind.FWD:
                    tag = "union" if info >> 31 else "struct"
                elif kind == Kind.ENUM64:
                    tag = "enum"
                else:
                    tag = _KIND_NAMES[kind].lower()
                name = f.string_at(w[o], at)
                base = f"{tag} {name}" if name else f"{tag} {{...}}"
            elif kind == Kind.PTR:
                return f._render(w[o + 2], "*" + decl, st, at + 8)
            elif kind == Kind.TYPE_TAG:
                return f._render(w[o + 2], decl, st, at + 8)
            elif kind in _QUALIFIERS:
                q = _QUALIFIERS[kind]
                target = w[o + 2]
                if f._peel_is_ptr(target, at + 8):
                    return f._render(target, f"{q} {decl}" if decl else q, st, at + 8)
                return f"{q} " + f._render(target, decl, st, at + 8)
            elif kind == Kind.ARRAY:
                d = f"({decl})" if decl.startswith("*") else decl
                return f._render(w[o + 3], f"{d}[{w[o + 5]}]", st, at + 12)
            elif kind == Kind.FUNC_PROTO:
                return f._render_proto(o, decl, st)
            else:
                raise self._err(
                    where,
                    f"type {type_id} ({_KIND_NAMES.get(kind, kind)} "
                    f"{f.string_at(w[o], at)!r}) used as a data type",
                )
            return f"{base} {decl}" if decl else base
        finally:
            st.depth -= 1

    def _render_proto(self, o: int, decl: str, st: _RenderState) -> str:
        w = self._words
        at = self._abs(o)
        vlen = w[o + 1] & 0xFFFF
        parts: list[str] = []
        total = 0
        for i in range(vlen):
            p = o + 3 + 2 * i
            name_off, ptype = w[p], w[p + 1]
            if ptype == 0 and name_off == 0 and i == vlen - 1:
                text = "..."
            else:
                pname = self.string_at(name_off, self._abs(p))
                text = self._render(ptype, pname, st, self._abs(p + 1))
            total += len(text) + 2
            if total > MAX_RENDER_CHARS:
                raise self._err(
                    at, f"rendering of type {st.root} longer than {MAX_RENDER_CHARS} characters"
                )
            parts.append(text)
        args = ", ".join(parts) if parts else "void"
        d = f"({decl})" if decl.startswith("*") else decl
        return self._render(w[o + 2], f"{d}({args})", st, at + 8)

    def _peel_is_ptr(self, type_id: int, where: int) -> bool:
        """Whether ``type_id``, past qualifiers and type tags, is a pointer (bounded walk)."""
        cur = self  # the file holding the field at `where`
        for _ in range(MAX_RENDER_DEPTH):
            if type_id == 0:
                return False
            f, o = cur._locate(type_id, where)
            kind = (f._words[o + 1] >> 24) & 0x1F
            if kind == Kind.PTR:
                return True
            if kind not in _QUALIFIERS and kind != Kind.TYPE_TAG:
                return False
            type_id = f._words[o + 2]
            where = f._abs(o) + 8
            cur = f
        return False

    # --------------------------------------------------------------------------- kfuncs

    def decl_tags(self) -> list[tuple[int, str, int, int]]:
        """This file's DECL_TAG types as ``(tag_id, tag_name, target_id, component_idx)``.

        Each target ID is checked to exist (BtfFormatError otherwise).
        """
        w = self._words
        out: list[tuple[int, str, int, int]] = []
        start = self.start_id
        offs = self._offs
        for j in self._decl_tags:
            o = offs[j]
            at = self._abs(o)
            comp = w[o + 3]
            if comp >= 0x80000000:
                comp -= 1 << 32
            target = w[o + 2]
            self._check_id(target, at + 8)
            out.append((start + j, self.string_at(w[o], at), target, comp))
        return out

    def kfuncs(self) -> list[Kfunc]:
        """The kfuncs declared by this file's own DECL_TAGs, sorted by FUNC BTF ID.

        A kfunc is a FUNC that is the target of a ``bpf_kfunc`` DECL_TAG with component_idx -1;
        ``tags`` lists the names of the other decl tags on the FUNC itself (component_idx -1).
        """
        targets: dict[int, list[str]] = {}
        kfunc_ids: set[int] = set()
        for _tag_id, tag, target, comp in self.decl_tags():
            if comp != -1 or target == 0:
                continue
            if tag == KFUNC_TAG:
                kfunc_ids.add(target)
            else:
                names = targets.setdefault(target, [])
                if tag not in names:
                    names.append(tag)
        out: list[Kfunc] = []
        for fid in sorted(kfunc_ids):
            if self.kind(fid) != Kind.FUNC:
                continue
            out.append(
                Kfunc(self.name(fid), fid, self.render_func(fid), tuple(targets.get(fid, ())))
            )
        return out


# ------------------------------------------------------------------------------- reading


def _parse_header(data: bytes, source: str) -> tuple[BtfHeader, str]:
    n = len(data)
    if n < 2:
        raise BtfFormatError(source, n, f"file too short for a BTF header ({n} bytes)")
    (magic,) = struct.unpack_from("<H", data, 0)
    if magic == BTF_MAGIC:
        order = "<"
    elif magic == 0x9FEB:
        order = ">"
    else:
        raise BtfFormatError(source, 0, f"bad magic 0x{magic:04x} (expected 0xeb9f)")
    if n < HEADER_SIZE:
        raise BtfFormatError(source, n, f"file too short for a BTF header ({n} bytes)")
    version = data[2]
    if version != BTF_VERSION:
        raise BtfFormatError(source, 2, f"unsupported BTF version {version} (expected 1)")
    (hdr_len,) = struct.unpack_from(order + "I", data, 4)
    if hdr_len < HEADER_SIZE:
        raise BtfFormatError(source, 4, f"hdr_len {hdr_len} too small (minimum {HEADER_SIZE})")
    if hdr_len > n:
        raise BtfFormatError(source, 4, f"hdr_len {hdr_len} runs past end of file ({n} bytes)")
    unpacker = _HEADER_LE if order == "<" else _HEADER_BE
    _m, _v, flags, _h, type_off, type_len, str_off, str_len = unpacker.unpack_from(data, 0)
    hdr = BtfHeader(
        BTF_MAGIC, version, flags, hdr_len, type_off, type_len, str_off, str_len, order == ">"
    )
    return hdr, order


def read_btf(
    data: bytes | bytearray | memoryview, *, base: BtfFile | None = None, source: str = "<bytes>"
) -> BtfFile:
    """Parse a raw BTF blob; with ``base``, read it as split BTF on top of that file.

    Raises :class:`BtfFormatError` (and nothing else) on malformed input.
    """
    if not isinstance(data, bytes):
        data = bytes(data)
    hdr, order = _parse_header(data, source)
    n = len(data)
    avail = n - hdr.hdr_len
    t_start = hdr.hdr_len + hdr.type_off
    s_start = hdr.hdr_len + hdr.str_off
    for section, field, off, length in (("type", "type", hdr.type_off, hdr.type_len),
                                        ("string", "str", hdr.str_off, hdr.str_len)):
        if off + length > avail:
            raise BtfFormatError(
                source,
                min(hdr.hdr_len + off, n),
                f"{section} section runs past end of file ({field}_off {off} + "
                f"{field}_len {length} > {avail})",
            )
    if hdr.type_off % 4:
        raise BtfFormatError(source, 8, f"type_off {hdr.type_off} is not 4-byte aligned")
    if hdr.type_len % 4:
        raise BtfFormatError(source, 12, f"type_len {hdr.type_len} is not a multiple of 4")
    if (
        hdr.type_len
        and hdr.str_len
        and hdr.type_off < hdr.str_off + hdr.str_len
        and hdr.str_off < hdr.type_off + hdr.type_len
    ):
        raise BtfFormatError(
            source,
            16,
            f"type section ({hdr.type_off}+{hdr.type_len}) and string section "
            f"({hdr.str_off}+{hdr.str_len}) overlap",
        )
    s_end = s_start + hdr.str_len
    if base is None:
        if hdr.str_len == 0:
            raise BtfFormatError(source, 20, "empty string section (needs at least the '' string)")
        if data[s_start] != 0:
            raise BtfFormatError(source, s_start, "string section does not start with NUL")
    if hdr.str_len and data[s_end - 1] != 0:
        raise BtfFormatError(source, s_end - 1, "last string is not NUL-terminated")

    words: array.array[int] = array.array("I")
    words.frombytes(data[t_start : t_start + hdr.type_len])
    if (order == "<") != _HOST_LITTLE:
        words.byteswap()

    first = base.last_id + 1 if base is not None else 1
    offs, decl_tags = _walk_types(words, source, t_start, first)
    if first + len(offs) - 1 > MAX_TYPE_ID:
        raise BtfFormatError(
            source, 12, f"too many types ({first + len(offs) - 1} > {MAX_TYPE_ID})"
        )
    return BtfFile(data, source, base, hdr, t_start, words, offs, decl_tags, s_start, s_end)


def _walk_types(
    words: array.array[int], source: str, t_start: int, first: int
) -> tuple[array.array[int], list[int]]:
    """One pass over the type section: word offset of every type, and the DECL_TAG indexes."""
    offs: array.array[int] = array.array("I")
    push = offs.append
    decl_tags: list[int] = []
    fixed = _FIXED_WORDS
    per = _VLEN_WORDS
    n = len(words)
    last = n - 3  # a btf_type needs 3 words
    i = 0
    while i <= last:
        info = words[i + 1]
        k = (info >> 24) & 0x1F
        size = fixed[k]
        if size < 0:
            raise BtfFormatError(
                source, t_start + 4 * i + 4, f"type {first + len(offs)}: unknown kind {k}"
            )
        if k == 17:
            decl_tags.append(len(offs))
        push(i)
        i += size + (info & 0xFFFF) * per[k]
    if i > n:
        j = len(offs) - 1
        o = offs[j]
        k = (words[o + 1] >> 24) & 0x1F
        raise BtfFormatError(
            source,
            t_start + 4 * o,
            f"type {first + j} ({_KIND_NAMES[k]}, vlen {words[o + 1] & 0xFFFF}) runs past the end "
            f"of the type section ({4 * (i - o)} bytes needed, {4 * (n - o)} left)",
        )
    if i < n:
        raise BtfFormatError(
            source,
            t_start + 4 * i,
            f"truncated type {first + len(offs)} ({4 * (n - i)} bytes left, a btf_type needs 12)",
        )
    return offs, decl_tags


def read_btf_file(path: str | Path, base: BtfFile | None = None) -> BtfFile:
    """Read and parse a raw BTF file. ``OSError`` propagates; bad content is BtfFormatError."""
    with open(path, "rb") as fh:
        data = fh.read()
    return read_btf(data, base=base, source=str(path))
