"""Scenarios: data files that say which kernel activities race, over which kfunc sets.

A scenario is a TOML file (format: ``explorer/scenarios/README.md``). Loading validates every
field and reports the first problem as one line naming the file and the place; nothing here runs
code from the file. :func:`initial_state` turns a scenario and the chosen variants/faults into the
first :class:`~explorer.sim.engine.SimState`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from explorer.model import api
from explorer.model.constants import (
    EINVAL,
    TYPES,
    BpfProgType,
    BtfKfuncType,
    parse_prog_type,
)
from explorer.model.machine import Frame, new_frame
from explorer.model.state import World, empty_world
from explorer.resources import scenarios_dir
from explorer.sim.errors import InputError
from explorer.sim.spec import IdSetSpec, ModuleSpec, Scenario, SetSpec, ThreadSpec
from explorer.sim.tomlfile import read_toml
from explorer.sim.variants import FAULTS, VARIANTS, Options, parse_options

SCENARIO_DIR = scenarios_dir()
THREAD_KINDS = ("do_initcalls", "load_module", "bpf_prog_load")
RETURN_KINDS = ("scalar", "void", "struct_ptr")
"""What the called kfunc returns: check_kfunc_call asks RET_NULL only for a struct pointer."""
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# -- loading -------------------------------------------------------------------------------------


def _err(path: str, where: str, msg: str) -> InputError:
    return InputError(f"{path}: {where}: {msg}" if where else f"{path}: {msg}")


def _str(d: dict[str, Any], key: str, path: str, where: str, default: str | None = None) -> str:
    if key not in d:
        if default is not None:
            return default
        raise _err(path, where, f"missing required key {key!r}")
    v = d[key]
    if not isinstance(v, str):
        raise _err(path, f"{where}.{key}" if where else key, f"expected text, got {v!r}")
    return v


def _strlist(d: dict[str, Any], key: str, path: str, where: str) -> tuple[str, ...]:
    v = d.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise _err(path, f"{where}.{key}" if where else key, f"expected a list of text, got {v!r}")
    return tuple(v)


def _tables(data: dict[str, Any], key: str, path: str) -> list[tuple[str, dict[str, Any]]]:
    """An array of tables (``[[key]]``) as (place, table) pairs, each checked to be a table."""
    raw = data.get(key, [])
    if not isinstance(raw, list):
        raise _err(path, key, f"expected an array of tables ([[{key}]])")
    out = []
    for i, t in enumerate(raw):
        if not isinstance(t, dict):
            raise _err(path, f"{key}[{i}]", "expected a table")
        out.append((f"{key}[{i}]", t))
    return out


def _known(d: dict[str, Any], allowed: set[str], path: str, where: str) -> None:
    for k in d:
        if k not in allowed:
            raise _err(path, where or "top level",
                       f"unknown key {k!r} (allowed: {', '.join(sorted(allowed))})")


def _choices(d: dict[str, Any], key: str, path: str, allowed: Sequence[str], what: str,
             kernel: str = "") -> tuple[str, ...]:
    """A top-level list of names (``variants``, ``faults``), each one of ``allowed``."""
    names = _strlist(d, key, path, "")
    for j, n in enumerate(names):
        if n not in allowed:
            for_kernel = f" for {kernel}" if kernel else ""
            raise _err(path, f"{key}[{j}]", f"unknown {what} {n!r}{for_kernel} "
                       f"(allowed: {', '.join(allowed)})")
    return names


def _set_header(s: dict[str, Any], path: str, where: str,
                before: Collection[str]) -> tuple[str, str | None]:
    """A ``[[sets]]`` table's name (new) and owner (a module name, or absent for vmlinux)."""
    sname = _str(s, "name", path, where)
    if sname in before:
        raise _err(path, f"{where}.name", f"duplicate set name {sname!r}")
    owner = s.get("owner")
    if owner is not None and not isinstance(owner, str):
        raise _err(path, f"{where}.owner", "expected a module name")
    return sname, owner


def _module_init(m: dict[str, Any], path: str, where: str,
                 owners: dict[str, str | None]) -> tuple[str, tuple[str, ...]]:
    """A ``[[modules]]`` table's name and ``init`` list: sets (name → owner) the module owns."""
    mname = _str(m, "name", path, where)
    init = _strlist(m, "init", path, where)
    for j, sn in enumerate(init):
        if sn not in owners:
            raise _err(path, f"{where}.init[{j}]", f"no set named {sn!r}")
        if owners[sn] != mname:
            raise _err(path, f"{where}.init[{j}]", f"set {sn!r} is owned by "
                       f"{owners[sn] or 'vmlinux'}, not {mname}")
    return mname, init


THREAD_KEYS = {"name", "letter", "kind"}
"""The keys every ``[[threads]]`` table may have (its header); each kind adds its own."""


ThreadParams = Callable[[str, dict[str, Any], str], dict[str, Any]]
"""A loader's reading of one ``[[threads]]`` table: (kind, table, place) → its parameters."""


def _thread_specs(data: dict[str, Any], path: str, kinds: Sequence[str],
                  params: ThreadParams) -> tuple[ThreadSpec, ...]:
    """Every ``[[threads]]`` table (at least one): its header checked here, its parameters by
    the kernel version's loader."""
    raw = data.get("threads", [])
    if not isinstance(raw, list) or not raw:
        raise _err(path, "threads", "expected at least one [[threads]] table")
    out: list[ThreadSpec] = []
    for where, t in _tables(data, "threads", path):
        kind, tname, letter = _thread_header(t, path, where, kinds, out)
        out.append(ThreadSpec(tname, letter, kind, tuple(params(kind, t, where).items())))
    return tuple(out)


def _initcall_sets(t: dict[str, Any], path: str, where: str, ok: Callable[[str], bool],
                   what: str) -> tuple[str, ...]:
    """The sets a ``do_initcalls`` thread registers, each one that ``ok`` accepts."""
    _known(t, THREAD_KEYS | {"sets"}, path, where)
    names = _strlist(t, "sets", path, where)
    for j, sn in enumerate(names):
        if not ok(sn):
            raise _err(path, f"{where}.sets[{j}]", f"{sn!r} is not {what}")
    return names


def _thread_module(t: dict[str, Any], path: str, where: str, modules: Collection[str]) -> str:
    """The module a loading thread loads (one a ``[[modules]]`` table defines)."""
    _known(t, THREAD_KEYS | {"module"}, path, where)
    mod = _str(t, "module", path, where)
    if mod not in modules:
        raise _err(path, f"{where}.module", f"no module {mod!r} under [[modules]]")
    return mod


def _thread_kfunc(t: dict[str, Any], path: str, where: str, ids: dict[str, tuple[str, int]],
                  modules: Collection[str],
                  prog_type: Callable[[str], Any]) -> tuple[str, Any, str]:
    """A program thread's kfunc (a known one, in vmlinux or a defined module), its program type
    (read by the kernel version's ``parse_prog_type``) and the BTF the kfunc lives in."""
    kfunc = _str(t, "kfunc", path, where)
    if kfunc not in ids:
        raise _err(path, f"{where}.kfunc", f"unknown kfunc {kfunc!r}")
    try:
        pt = prog_type(_str(t, "prog_type", path, where))
    except ValueError as e:
        raise _err(path, f"{where}.prog_type", str(e)) from None
    btf = ids[kfunc][0]
    if btf != "vmlinux" and btf not in modules:
        raise _err(path, f"{where}.kfunc", f"{kfunc!r} lives in module {btf!r}, which no "
                   "[[modules]] table defines")
    return kfunc, pt, btf


@cache
def kfunc_catalogue() -> dict[str, tuple[str, int]]:
    """The illustrative BTF IDs of ``scenarios/kfunc_ids.toml``: name → (btf, id)."""
    path = SCENARIO_DIR / "kfunc_ids.toml"
    data = tomllib.loads(path.read_text())
    return {name: (btf, int(i)) for btf, tbl in data.items() for name, i in tbl.items()}


def _ids(data: dict[str, Any], path: str) -> dict[str, tuple[str, int]]:
    ids = dict(kfunc_catalogue())
    extra = data.get("ids", {})
    if not isinstance(extra, dict):
        raise _err(path, "ids", "expected a table of btf = { kfunc = id }")
    for btf, tbl in extra.items():
        if not isinstance(tbl, dict):
            raise _err(path, f"ids.{btf}", "expected a table of kfunc = id")
        for name, i in tbl.items():
            if not isinstance(i, int) or isinstance(i, bool) or not 1 <= i <= 0x7FFF_FFFF:
                raise _err(path, f"ids.{btf}.{name}", f"a BTF ID is a whole number 1..2^31-1, "
                           f"got {i!r}")
            ids[name] = (btf, i)
    return ids


def parse_scenario(data: dict[str, Any], path: str) -> Scenario:
    """Validate a decoded scenario file; raise :class:`InputError` naming the first problem."""
    _known(data, {"name", "title", "description", "kernel", "ids", "sets", "modules", "threads",
                  "prefill", "variants", "faults", "default_faults", "notes", "id_sets", "cpu",
                  "config"}, path, "")
    name = _str(data, "name", path, "")
    if not _NAME.match(name):
        raise _err(path, "name", f"{name!r} is not a simple name (letters, digits, _)")
    kernel = _str(data, "kernel", path, "", "5.18")
    if kernel not in ("5.18", "5.16"):
        raise _err(path, "kernel", f"unknown kernel {kernel!r} (allowed: 5.18, 5.16)")
    ids = _ids(data, path)
    cpu = _str(data, "cpu", path, "", "sc")
    if cpu not in ("sc", "weak"):
        raise _err(path, "cpu", f"unknown cpu {cpu!r} (allowed: sc, weak)")
    config = _config(data, path)

    id_sets: dict[str, IdSetSpec] = {}
    for where, a in _tables(data, "id_sets", path):
        _known(a, {"name", "owner", "ids"}, path, where)
        aname = _str(a, "name", path, where)
        if not _NAME.match(aname) or aname in id_sets:
            raise _err(path, f"{where}.name", f"{aname!r} is not a new simple name")
        aowner = a.get("owner")
        if aowner is not None and not isinstance(aowner, str):
            raise _err(path, f"{where}.owner", "expected a module name")
        names_ = _strlist(a, "ids", path, where)
        for n in names_:
            if n not in ids:
                raise _err(path, f"{where}.ids", f"unknown kfunc {n!r}: give its BTF ID under "
                           "[ids.<btf>]")
        id_sets[aname] = IdSetSpec(aname, aowner, names_)

    sets: dict[str, SetSpec] = {}
    for where, s in _tables(data, "sets", path):
        _known(s, {"name", "owner", "prog_type", "check", "acquire", "release", "ret_null",
                   "check_set", "acquire_set", "release_set", "ret_null_set",
                   "initcall", "old_list", "hypothetical"}, path, where)
        sname, owner = _set_header(s, path, where, sets)
        pt: BpfProgType | None = None
        if "prog_type" in s:
            try:
                pt = parse_prog_type(_str(s, "prog_type", path, where))
            except ValueError as e:
                raise _err(path, f"{where}.prog_type", str(e)) from None
        kf: list[tuple[str, ...]] = []
        arrays: list[str | None] = []
        for t in TYPES:
            names = _strlist(s, t.set_field.removesuffix("_set"), path, where)
            ref = s.get(t.set_field)
            if ref is not None:
                if names:
                    raise _err(path, f"{where}.{t.set_field}", f"give either {t.set_field} (a "
                               f"named [[id_sets]] array) or an inline list, not both")
                if not isinstance(ref, str) or ref not in id_sets:
                    raise _err(path, f"{where}.{t.set_field}", f"no [[id_sets]] array named "
                               f"{ref!r}")
                if id_sets[ref].owner != owner:
                    raise _err(path, f"{where}.{t.set_field}", f"array {ref!r} is owned by "
                               f"{id_sets[ref].owner or 'vmlinux'}, not {owner or 'vmlinux'}")
                names = id_sets[ref].kfuncs
            arrays.append(ref)
            for n in names:
                if n not in ids:
                    raise _err(path, f"{where}.{t.short.lower()}",
                               f"unknown kfunc {n!r}: give its BTF ID under [ids.<btf>]")
                if ids[n][0] != (owner or "vmlinux"):
                    raise _err(path, f"{where}.{t.short.lower()}",
                               f"{n!r} lives in {ids[n][0]}'s BTF, but this set's owner is "
                               f"{owner or 'vmlinux (built in)'}")
            kf.append(names)
        old_list = s.get("old_list")
        if old_list is not None and not isinstance(old_list, str):
            raise _err(path, f"{where}.old_list", "expected a list name")
        sets[sname] = SetSpec(sname, owner, pt, tuple(kf), str(s.get("initcall", "")), old_list,
                              bool(s.get("hypothetical", False)), tuple(arrays))

    modules: dict[str, ModuleSpec] = {}
    for where, m in _tables(data, "modules", path):
        _known(m, {"name", "btf", "init", "init_error"}, path, where)
        mname, init = _module_init(m, path, where, {n: x.owner for n, x in sets.items()})
        for j, sn in enumerate(init):
            if sets[sn].prog_type is None and sets[sn].old_list is None:
                raise _err(path, f"{where}.init[{j}]", f"set {sn!r} has neither prog_type nor "
                           "old_list")
        err = m.get("init_error", "OK")
        if err not in ("OK", "EINVAL"):
            raise _err(path, f"{where}.init_error", f"{err!r} (allowed: OK, EINVAL)")
        modules[mname] = ModuleSpec(mname, bool(m.get("btf", True)), init,
                                    -EINVAL if err == "EINVAL" else 0)

    prefill = _strlist(data, "prefill", path, "")
    for j, sn in enumerate(prefill):
        if sn not in sets or sets[sn].owner is not None or sets[sn].prog_type is None:
            raise _err(path, f"prefill[{j}]", f"{sn!r} is not a built-in set with a prog_type")

    threads = _threads(data, path, sets, modules, ids)
    variants = _choices(data, "variants", path, tuple(VARIANTS), "variant")
    faults = _choices(data, "faults", path, tuple(FAULTS), "fault")
    default_faults = _strlist(data, "default_faults", path, "")
    try:
        parse_options((), default_faults)
    except InputError as e:
        raise _err(path, "default_faults", str(e).split(": ", 1)[1]) from None
    return Scenario(name, _str(data, "title", path, "", name),
                    _str(data, "description", path, "", "").strip(), path, ids, sets, modules,
                    threads, prefill, variants, faults, default_faults, kernel,
                    _strlist(data, "notes", path, ""), id_sets, cpu, config)


CONFIG_OPTIONS = ("DEBUG_INFO_BTF", "DEBUG_INFO_BTF_MODULES")


def _config(data: dict[str, Any], path: str) -> tuple[tuple[str, bool], ...]:
    raw = data.get("config", {})
    if not isinstance(raw, dict):
        raise _err(path, "config", "expected a table of OPTION = true/false")
    out = []
    for k, v in raw.items():
        if k not in CONFIG_OPTIONS:
            raise _err(path, f"config.{k}",
                       f"unknown option (allowed: {', '.join(CONFIG_OPTIONS)})")
        if not isinstance(v, bool):
            raise _err(path, f"config.{k}", f"expected true or false, got {v!r}")
        out.append((k, v))
    return tuple(out)



def _thread_header(t: dict[str, Any], path: str, where: str, kinds: Sequence[str],
                   before: Sequence[ThreadSpec]) -> tuple[str, str, str]:
    """A ``[[threads]]`` table's kind, name and letter, checked (one letter per thread, never M)."""
    kind = _str(t, "kind", path, where)
    if kind not in kinds:
        raise _err(path, f"{where}.kind", f"unknown kind {kind!r} (allowed: {', '.join(kinds)})")
    tname = _str(t, "name", path, where)
    letter = _str(t, "letter", path, where, tname[:1].upper())
    if len(letter) != 1 or not letter.isalpha() or not letter.isupper() or letter == "M":
        raise _err(path, f"{where}.letter", f"{letter!r}: one capital letter other than M "
                   "(M is the store buffer of a weakly ordered CPU)")
    if any(o.letter == letter for o in before):
        raise _err(path, f"{where}.letter", f"letter {letter!r} is used by another thread")
    return kind, tname, letter


def _threads(data: dict[str, Any], path: str, sets: dict[str, SetSpec],
             modules: dict[str, ModuleSpec],
             ids: dict[str, tuple[str, int]]) -> tuple[ThreadSpec, ...]:
    def builtin(sn: str) -> bool:
        return sn in sets and sets[sn].owner is None and sets[sn].prog_type is not None

    def params(kind: str, t: dict[str, Any], where: str) -> dict[str, Any]:
        if kind == "do_initcalls":
            return {"sets": _initcall_sets(t, path, where, builtin,
                                           "a built-in set with a prog_type")}
        if kind == "load_module":
            return {"module": _thread_module(t, path, where, modules)}
        _known(t, THREAD_KEYS | {"btf", "prog_type", "kfunc", "api", "static_set", "returns"},
               path, where)
        rk = _str(t, "returns", path, where, "scalar")
        if rk not in RETURN_KINDS:
            raise _err(path, f"{where}.returns", f"{rk!r} (allowed: {', '.join(RETURN_KINDS)})")
        kfunc, pt, btf = _thread_kfunc(t, path, where, ids, modules, parse_prog_type)
        api_ = _str(t, "api", path, where, "new")
        if api_ not in ("new", "old"):
            raise _err(path, f"{where}.api", f"{api_!r} (allowed: new, old)")
        st = t.get("static_set")
        if st is not None and (not isinstance(st, str) or st not in sets):
            raise _err(path, f"{where}.static_set", f"no set named {st!r}")
        return {"returns": rk, "prog_type": pt, "kfunc": kfunc, "btf": btf, "api": api_,
                "static_set": st}

    return _thread_specs(data, path, THREAD_KINDS, params)


def load_scenario_file(path: str | Path) -> Scenario:
    """Read and validate a scenario file."""
    p = Path(path)
    data = read_toml(p)
    return parse_scenario(data, str(p))


@cache
def toml_stems(directory: Path) -> tuple[str, ...]:
    """The names of the ``*.toml`` files in ``directory``, sorted (none if it is no directory).

    Kept per directory for the process: the built-in scenario directories are package data, and a
    lesson listing asks for them once a page (57 pages). A caller that adds files to a directory
    it has listed clears this (``toml_stems.cache_clear()``)."""
    if not directory.is_dir():
        return ()
    return tuple(sorted(p.stem for p in directory.glob("*.toml")))


def builtin_names() -> list[str]:
    return [n for n in toml_stems(SCENARIO_DIR) if n != "kfunc_ids"]


@cache
def _load_builtin(name: str) -> Scenario:
    return load_scenario_file(SCENARIO_DIR / f"{name}.toml")


def load_scenario(name_or_path: str) -> Scenario:
    """A built-in scenario by name, ``my_kernel``, or a scenario file by path."""
    if name_or_path in builtin_names():
        return _load_builtin(name_or_path)
    if name_or_path == "my_kernel":
        from explorer.sim.kernel_scenario import kernel_scenario

        return kernel_scenario()
    if name_or_path.endswith(".toml") or "/" in name_or_path:
        return load_scenario_file(name_or_path)
    raise InputError(f"unknown scenario {name_or_path!r} (allowed: {', '.join(builtin_names())}, "
                     "my_kernel, or a path to a .toml scenario file)")


# -- building the first state ---------------------------------------------------------------------


def kset_value(sc: Scenario, s: SetSpec) -> api.Kset:
    return (s.name, s.owner, tuple(s.addr(t) if s.kfuncs[t] else None for t in range(len(TYPES))))


def _place_sets(w: World, sc: Scenario) -> World:
    for a in sc.id_sets.values():
        ids = tuple(sorted(sc.ids[n][1] for n in a.kfuncs))  # resolve_btfids sorts each set
        w = api.add_id_set(w, f"{a.owner or 'vmlinux'}:{a.name}", ids,
                           region="module" if a.owner else "vmlinux", owner=a.owner, symbol=a.name)
    for s in sc.sets.values():
        for t, names in enumerate(s.kfuncs):
            if s.arrays[t] is not None or (not names and t != 0):
                continue
            ids = tuple(sorted(sc.ids[n][1] for n in names))  # resolve_btfids sorts each set
            w = api.add_id_set(w, s.addr(t), ids, region="module" if s.owner else "vmlinux",
                               owner=s.owner, symbol=f"{s.name}.{BtfKfuncType(t).set_field}")
    return w


def build_world(sc: Scenario, opts: Options) -> World:
    cfg = opts.config()
    cfg = replace(cfg, weak_memory=cfg.weak_memory or sc.cpu == "weak",
                  debug_info_btf=sc.config_on("DEBUG_INFO_BTF"),
                  debug_info_btf_modules=sc.config_on("DEBUG_INFO_BTF_MODULES"))
    if not sc.live_flag:
        cfg = replace(cfg, live_check=False, live_flag_exists=False)
    w = _place_sets(empty_world(cfg), sc)
    for m in sc.modules.values():
        w = api.add_module(w, m.name)
    for sn in sc.prefill:  # boot finished before any process: no thread, no steps
        s = sc.sets[sn]
        assert s.prog_type is not None
        w = api.register_btf_kfunc_id_set(w, int(s.prog_type), kset_value(sc, s)).world
    if any(t.kind == "do_initcalls" for t in sc.threads):
        w = replace(w, booted=False)
    return w


def thread_frame(sc: Scenario, t: ThreadSpec, opts: Options) -> Frame:
    if t.kind == "do_initcalls":
        regs = tuple((sc.sets[sn].initcall or sn, int(sc.sets[sn].prog_type or 0),
                      kset_value(sc, sc.sets[sn])) for sn in t.get("sets"))
        return new_frame("do_initcalls", {"regs": regs, "i": 0, "results": ()})
    if t.kind == "load_module":
        m = sc.modules[t.get("module")]
        regs_l: list[tuple[str, Any, Any]] = []
        for sn in m.init:
            s = sc.sets[sn]
            if s.old_list is not None:
                regs_l.append(("old", s.old_list, s.addr(0)))
            else:
                regs_l.append(("new", int(s.prog_type or 0), kset_value(sc, s)))
        init_error = -EINVAL if opts.has_fault("init_fails") else m.init_error
        has_btf = m.btf and sc.config_on("DEBUG_INFO_BTF_MODULES")
        return new_frame("load_module", {"mod": m.name, "has_btf": has_btf, "regs": tuple(regs_l),
                                         "init_error": init_error})
    kfunc = t.get("kfunc")
    static = t.get("static_set")
    old_list = None
    if t.get("api") == "old":
        old_list = next((s.old_list for s in sc.sets.values() if s.old_list), None)
    return new_frame("bpf_prog_load", {
        "btf": t.get("btf"), "prog_type": int(t.get("prog_type")), "kfunc_id": sc.ids[kfunc][1],
        "kfunc_name": kfunc, "api": t.get("api"), "returns": t.get("returns", "scalar"),
        "static_set": sc.sets[static].addr(0) if static else None, "old_list": old_list})



__all__ = [
    "SCENARIO_DIR",
    "THREAD_KINDS",
    "ModuleSpec",
    "Scenario",
    "SetSpec",
    "ThreadSpec",
    "build_world",
    "builtin_names",
    "kfunc_catalogue",
    "kset_value",
    "load_scenario",
    "load_scenario_file",
    "parse_scenario",
    "thread_frame",
]
