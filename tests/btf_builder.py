"""Build raw BTF blobs in code, for the reader's tests and fuzzing.

    b = BtfBuilder()
    i32 = b.add_int("int", 4, signed=True)
    proto = b.add_func_proto(i32, [("x", i32)])
    f = b.add_func("foo", proto)
    b.add_decl_tag("bpf_kfunc", f)
    blob = b.build()                      # little-endian; b.build(big_endian=True) for BE

Split BTF: ``BtfBuilder(base=b)`` numbers its types after ``b``'s and its string offsets after
``b``'s string section (which must not change afterwards).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

Members = Sequence[tuple[str, int, int] | tuple[str, int, int, int]]
"""A struct or union's members: (name, type, bit_offset[, bitfield_size])."""

KIND = {
    "INT": 1,
    "PTR": 2,
    "ARRAY": 3,
    "STRUCT": 4,
    "UNION": 5,
    "ENUM": 6,
    "FWD": 7,
    "TYPEDEF": 8,
    "VOLATILE": 9,
    "CONST": 10,
    "RESTRICT": 11,
    "FUNC": 12,
    "FUNC_PROTO": 13,
    "VAR": 14,
    "DATASEC": 15,
    "FLOAT": 16,
    "DECL_TAG": 17,
    "TYPE_TAG": 18,
    "ENUM64": 19,
}


class BtfBuilder:
    def __init__(self, base: BtfBuilder | None = None) -> None:
        self.base = base
        self.strings = bytearray() if base is not None else bytearray(b"\0")
        self._str_index: dict[str, int] = {} if base is not None else {"": 0}
        # each type: list of (format char, value) words, kind
        self.types: list[tuple[str, list[int]]] = []

    # ---------------------------------------------------------------- ids and strings
    @property
    def start_id(self) -> int:
        return self.base.last_id + 1 if self.base is not None else 1

    @property
    def last_id(self) -> int:
        return self.start_id + len(self.types) - 1

    @property
    def str_total(self) -> int:
        base = self.base.str_total if self.base is not None else 0
        return base + len(self.strings)

    def _base_str(self, s: str) -> int | None:
        b: BtfBuilder | None = self.base
        while b is not None:
            if s in b._str_index:
                return b._str_index[s]
            b = b.base
        return None

    def str_off(self, s: str) -> int:
        found = self._base_str(s)
        if found is not None:
            return found
        if s not in self._str_index:
            base = self.base.str_total if self.base is not None else 0
            self._str_index[s] = base + len(self.strings)
            self.strings += s.encode() + b"\0"
        return self._str_index[s]

    def _add(self, kind: str, name: str, words: list[int]) -> int:
        self.types.append((kind, [self.str_off(name), *words]))
        return self.last_id

    @staticmethod
    def info(kind: str, vlen: int = 0, kind_flag: bool = False) -> int:
        return (int(kind_flag) << 31) | (KIND[kind] << 24) | (vlen & 0xFFFF)

    # ---------------------------------------------------------------------- kinds
    def add_int(
        self,
        name: str,
        size: int,
        *,
        signed: bool = False,
        char: bool = False,
        bool_: bool = False,
        bits: int | None = None,
        bit_offset: int = 0,
    ) -> int:
        enc = (1 if signed else 0) | (2 if char else 0) | (4 if bool_ else 0)
        nbits = size * 8 if bits is None else bits
        return self._add(
            "INT", name, [self.info("INT"), size, (enc << 24) | (bit_offset << 16) | nbits]
        )

    def add_ptr(self, target: int) -> int:
        return self._add("PTR", "", [self.info("PTR"), target])

    def add_array(self, elem: int, index_type: int, nelems: int) -> int:
        return self._add("ARRAY", "", [self.info("ARRAY"), 0, elem, index_type, nelems])

    def _composite(self, kind: str, name: str, size: int, members: Members) -> int:
        kflag = any(len(m) == 4 and m[3] for m in members)
        words = [self.info(kind, len(members), kflag), size]
        for m in members:
            mname, mtype, off = m[0], m[1], m[2]
            bsz = m[3] if len(m) == 4 else 0
            words += [self.str_off(mname), mtype, (bsz << 24) | off if kflag else off]
        return self._add(kind, name, words)

    def add_struct(self, name: str, size: int, members: Members = ()) -> int:
        return self._composite("STRUCT", name, size, members)

    def add_union(self, name: str, size: int, members: Members = ()) -> int:
        return self._composite("UNION", name, size, members)

    def add_enum(
        self, name: str, values: Sequence[tuple[str, int]], size: int = 4, signed: bool = False
    ) -> int:
        words = [self.info("ENUM", len(values), signed), size]
        for vname, v in values:
            words += [self.str_off(vname), v & 0xFFFFFFFF]
        return self._add("ENUM", name, words)

    def add_enum64(
        self, name: str, values: Sequence[tuple[str, int]], size: int = 8, signed: bool = False
    ) -> int:
        words = [self.info("ENUM64", len(values), signed), size]
        for vname, v in values:
            u = v & 0xFFFFFFFFFFFFFFFF
            words += [self.str_off(vname), u & 0xFFFFFFFF, u >> 32]
        return self._add("ENUM64", name, words)

    def add_fwd(self, name: str, union: bool = False) -> int:
        return self._add("FWD", name, [self.info("FWD", 0, union), 0])

    def add_typedef(self, name: str, target: int) -> int:
        return self._add("TYPEDEF", name, [self.info("TYPEDEF"), target])

    def add_volatile(self, target: int) -> int:
        return self._add("VOLATILE", "", [self.info("VOLATILE"), target])

    def add_const(self, target: int) -> int:
        return self._add("CONST", "", [self.info("CONST"), target])

    def add_restrict(self, target: int) -> int:
        return self._add("RESTRICT", "", [self.info("RESTRICT"), target])

    def add_func(self, name: str, proto: int, linkage: int = 1) -> int:
        return self._add("FUNC", name, [self.info("FUNC", linkage), proto])

    def add_func_proto(
        self, ret: int, params: Sequence[tuple[str, int]] = (), variadic: bool = False
    ) -> int:
        plist = list(params) + ([("", 0)] if variadic else [])
        words = [self.info("FUNC_PROTO", len(plist)), ret]
        for pname, ptype in plist:
            words += [self.str_off(pname), ptype]
        return self._add("FUNC_PROTO", "", words)

    def add_var(self, name: str, target: int, linkage: int = 1) -> int:
        return self._add("VAR", name, [self.info("VAR"), target, linkage])

    def add_datasec(self, name: str, size: int, secinfos: Sequence[tuple[int, int, int]]) -> int:
        words = [self.info("DATASEC", len(secinfos)), size]
        for t, off, sz in secinfos:
            words += [t, off, sz]
        return self._add("DATASEC", name, words)

    def add_float(self, name: str, size: int) -> int:
        return self._add("FLOAT", name, [self.info("FLOAT"), size])

    def add_decl_tag(self, name: str, target: int, component_idx: int = -1) -> int:
        return self._add(
            "DECL_TAG", name, [self.info("DECL_TAG"), target, component_idx & 0xFFFFFFFF]
        )

    def add_type_tag(self, name: str, target: int) -> int:
        return self._add("TYPE_TAG", name, [self.info("TYPE_TAG"), target])

    def add_raw(self, words: Sequence[int]) -> int:
        """Append raw words as one 'type' (for malformed input)."""
        self.types.append(("RAW", list(words)))
        return self.last_id

    # ---------------------------------------------------------------------- output
    def type_section(self, big_endian: bool = False) -> bytes:
        order = ">" if big_endian else "<"
        return b"".join(struct.pack(f"{order}{len(w)}I", *w) for _k, w in self.types)

    def build(
        self,
        big_endian: bool = False,
        *,
        hdr_extra: bytes = b"",
        gap: int = 0,
        strings_first: bool = False,
    ) -> bytes:
        order = ">" if big_endian else "<"
        types = self.type_section(big_endian)
        strs = bytes(self.strings)
        hdr_len = 24 + len(hdr_extra)
        if strings_first:
            pad = (-len(strs)) % 4
            str_off, type_off = 0, len(strs) + pad + gap
            body = strs + b"\0" * (pad + gap) + types
        else:
            type_off, str_off = 0, len(types) + gap
            body = types + b"\0" * gap + strs
        hdr = struct.pack(
            f"{order}HBBIIIII", 0xEB9F, 1, 0, hdr_len, type_off, len(types), str_off, len(strs)
        )
        return hdr + hdr_extra + body


def sample_builder() -> BtfBuilder:
    """A small BTF with every kind, a few kfuncs and assorted decl tags."""
    b = BtfBuilder()
    i32 = b.add_int("int", 4, signed=True)  # 1
    u8 = b.add_int("unsigned char", 1, char=True)  # 2
    b.add_ptr(0)  # 3: void *
    arr = b.add_array(u8, i32, 16)  # 4: unsigned char [16]
    task = b.add_struct(
        "task_struct", 16, [("pid", i32, 0), ("comm", arr, 32), ("flag", i32, 160, 3)]
    )  # 5
    b.add_union("u", 4, [("a", i32, 0), ("b", u8, 0)])  # 6
    b.add_enum("state", [("A", 0), ("B", -1)], signed=True)  # 7
    b.add_fwd("sock")  # 8
    u32 = b.add_typedef("u32", i32)  # 9
    vol = b.add_volatile(i32)  # 10
    cchar = b.add_const(u8)  # 11
    b.add_restrict(b.add_ptr(i32))  # 12 ptr, 13 restrict
    ptask = b.add_ptr(task)  # 14
    proto_acq = b.add_func_proto(ptask, [("p", ptask)])  # 15
    acq = b.add_func("bpf_task_acquire", proto_acq)  # 16
    b.add_decl_tag("bpf_kfunc", acq)  # 17
    b.add_var("counter", i32)  # 18
    b.add_datasec(".data", 4, [(18, 0, 4)])  # 19
    b.add_float("double", 8)  # 20
    tt = b.add_type_tag("rcu", task)  # 21
    ptt = b.add_ptr(tt)  # 22
    b.add_enum64("big", [("X", 1 << 40), ("Y", 0xFFFFFFFFFFFFFFFF)])  # 23
    pcchar = b.add_ptr(cchar)  # 24: const unsigned char *
    proto_pr = b.add_func_proto(i32, [("fmt", pcchar)], variadic=True)  # 25
    printk = b.add_func("bpf_printk_like", proto_pr)  # 26
    b.add_decl_tag("bpf_kfunc", printk)  # 27
    b.add_decl_tag("bpf_fastcall", printk)  # 28
    b.add_decl_tag("nonnull", printk, 0)  # 29: on parameter 0 -> not listed
    proto_void = b.add_func_proto(0, [])  # 30
    noop = b.add_func("bpf_noop", proto_void)  # 31
    b.add_decl_tag("bpf_kfunc", noop)  # 32
    # callback: int (*cb)(struct task_struct *, u32)
    cb_proto = b.add_func_proto(i32, [("", ptask), ("", u32)])  # 33
    pcb = b.add_ptr(cb_proto)  # 34
    cptr = b.add_const(ptask)  # 35: struct task_struct *const
    parr = b.add_ptr(arr)  # 36: unsigned char (*)[16]
    proto_cb = b.add_func_proto(
        u32, [("cb", pcb), ("t", cptr), ("buf", parr), ("v", vol), ("r", ptt)]
    )  # 37
    with_cb = b.add_func("bpf_with_cb", proto_cb)  # 38
    b.add_decl_tag("bpf_kfunc", with_cb)  # 39
    not_kfunc = b.add_func("helper", proto_void)  # 40
    b.add_decl_tag("other", not_kfunc)  # 41
    return b


SAMPLE_PROTOS = {
    "bpf_task_acquire": "struct task_struct *bpf_task_acquire(struct task_struct *p)",
    "bpf_printk_like": "int bpf_printk_like(const unsigned char *fmt, ...)",
    "bpf_noop": "void bpf_noop(void)",
    "bpf_with_cb": (
        "u32 bpf_with_cb(int (*cb)(struct task_struct *, u32), struct task_struct *const t, "
        "unsigned char (*buf)[16], volatile int v, struct task_struct *r)"
    ),
}
