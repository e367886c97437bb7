"""Kernel versions of scenarios: the v6.17 registry next to the v5.16/v5.18 ones.

A scenario name may exist in several kernel versions: ``boot_tcp`` in 5.18 (``scenarios/``) and in
6.17 (``scenarios/v6_17/``). :func:`versions` lists them, :func:`load` picks one (default: the
scenario's first, historical version, so every 5.18 scenario stays exactly as it was).

A 6.17 scenario file (format: ``explorer/scenarios/README.md``, "Kernel 6.17") describes
``BTF_KFUNCS_START`` sets with per-ID flags, an optional filter, and three kinds of activity:
``do_initcalls``, ``module_init`` (a module whose BTF is already published) and
``fetch_kfunc_meta`` (the verifier asking for a kfunc's flags). Loading validates every field and
reports the first problem as one line naming the file and the place.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.model import api
from explorer.model.machine import Frame, new_frame
from explorer.model.state import World, empty_world
from explorer.model.v6.constants import (
    BTF_SET8_KFUNCS,
    KERNEL,
    parse_flags,
    parse_prog_type,
)
from explorer.sim.errors import InputError
from explorer.sim.scenario import (
    _NAME,
    SCENARIO_DIR,
    THREAD_KEYS,
    _choices,
    _err,
    _ids,
    _initcall_sets,
    _known,
    _module_init,
    _set_header,
    _str,
    _strlist,
    _tables,
    _thread_kfunc,
    _thread_module,
    _thread_specs,
    builtin_names,
    load_scenario,
    toml_stems,
)
from explorer.sim.spec import ModernScenario, Scenario, Set8Spec, ThreadSpec
from explorer.sim.tomlfile import read_toml
from explorer.sim.variants import FAULTS, VARIANTS, Options

if TYPE_CHECKING:  # at run time, imported by what builds a 6.17 world or frame (it registers
    # the 6.17 kernel functions), so a 5.18 scenario never loads it
    from explorer.model.v6 import registry as v6

MODERN_KERNELS = (KERNEL,)
HISTORIC_KERNELS = ("5.16", "5.18")
KERNELS = (*HISTORIC_KERNELS, *MODERN_KERNELS)
MODERN_DIR = SCENARIO_DIR / ("v" + KERNEL.replace(".", "_"))
THREAD_KINDS = ("do_initcalls", "module_init", "fetch_kfunc_meta")
MODERN_VARIANTS = ("no_sort",)
MODERN_FAULTS = ("kzalloc_fails", "krealloc_fails")


# -- which versions exist --------------------------------------------------------------------------


def modern_names() -> list[str]:
    return list(toml_stems(MODERN_DIR))


@cache
def _historic_kernel(name: str) -> str:
    return load_scenario(name).kernel


def versions(name: str) -> tuple[str, ...]:
    """The kernel versions a scenario exists in, the default first."""
    out: list[str] = []
    if name in builtin_names():
        out.append(_historic_kernel(name))
    elif name == "my_kernel":
        out.append("5.18")
    if name in modern_names() or name == "my_kernel":
        out.append(KERNEL)
    return tuple(out)


def all_names() -> list[str]:
    """Every built-in scenario name, whatever its versions (my_kernel not included)."""
    return sorted(set(builtin_names()) | set(modern_names()))


def is_file_name(name_or_path: str) -> bool:
    """Whether :func:`load` reads ``name_or_path`` as a scenario file (read again on every
    load: the file may change), not a built-in scenario's name."""
    return name_or_path.endswith(".toml") or "/" in name_or_path


def _bad_kernel(kernel: str) -> InputError:
    return InputError(f"--kernel: unknown kernel {kernel!r} (allowed: {', '.join(KERNELS)})")


def load(name_or_path: str, kernel: str | None = None) -> Scenario:
    """A scenario in the given kernel version (None: its default version)."""
    if kernel is not None and kernel not in KERNELS:
        raise _bad_kernel(kernel)
    if is_file_name(name_or_path):
        return _load_path(name_or_path, kernel)
    vs = versions(name_or_path)
    if not vs:
        # Name every scenario a version exists for: the 6.17-only ones too (run accepts them).
        raise InputError(f"unknown scenario {name_or_path!r} (allowed: {', '.join(all_names())}, "
                         "my_kernel, or a path to a .toml scenario file)")
    if kernel is None:
        kernel = vs[0]
    if kernel not in vs:
        raise InputError(f"scenario {name_or_path!r} has no {kernel} version (versions: "
                         f"{', '.join(vs)})")
    if kernel in MODERN_KERNELS:
        if name_or_path == "my_kernel":
            from explorer.sim.kernel_v6 import kernel_scenario_v6

            return kernel_scenario_v6()
        return _load_modern_builtin(name_or_path)
    return load_scenario(name_or_path)


def _load_path(path: str, kernel: str | None) -> Scenario:
    p = Path(path)
    data = read_toml(p)
    file_kernel = data.get("kernel", "5.18")
    if kernel is not None and file_kernel != kernel:
        raise InputError(f"{p}: kernel: the file is a {file_kernel!r} scenario, not {kernel}")
    if file_kernel in MODERN_KERNELS:
        return parse_modern(data, str(p))
    return load_scenario(str(p))


@cache
def _load_modern_builtin(name: str) -> ModernScenario:
    p = MODERN_DIR / f"{name}.toml"
    return parse_modern(tomllib.loads(p.read_text(encoding="utf-8")), str(p))


# -- parsing ------------------------------------------------------------------------------


def _filter(s: dict[str, Any], path: str, where: str, addr: str) -> v6.Filter | None:
    f = s.get("filter")
    if f is None:
        return None
    if not isinstance(f, dict):
        raise _err(path, f"{where}.filter", "expected a table { name = ..., attach = ... }")
    _known(f, {"name", "attach"}, path, f"{where}.filter")
    return (_str(f, "name", path, f"{where}.filter"), addr,
            _str(f, "attach", path, f"{where}.filter"))


def parse_modern(data: dict[str, Any], path: str) -> ModernScenario:
    """Validate a decoded 6.17 scenario; raise :class:`InputError` naming the first problem."""
    _known(data, {"name", "title", "description", "kernel", "ids", "sets", "modules", "threads",
                  "variants", "faults", "default_faults", "notes", "sources"}, path, "")
    name = _str(data, "name", path, "")
    if not _NAME.match(name):
        raise _err(path, "name", f"{name!r} is not a simple name (letters, digits, _)")
    kernel = _str(data, "kernel", path, "")
    if kernel not in MODERN_KERNELS:
        raise _err(path, "kernel", f"{kernel!r}: this loader reads {', '.join(MODERN_KERNELS)}")
    ids = _ids(data, path)
    sets: dict[str, Set8Spec] = {}
    for where, s in _tables(data, "sets", path):
        _known(s, {"name", "symbol", "owner", "prog_type", "kfuncs", "flags", "macro", "filter",
                   "initcall", "source", "hypothetical", "generate"}, path, where)
        sname, owner = _set_header(s, path, where, sets)
        try:
            pt = parse_prog_type(_str(s, "prog_type", path, where))
        except ValueError as e:
            raise _err(path, f"{where}.prog_type", str(e)) from None
        names = list(_strlist(s, "kfuncs", path, where))
        gen = s.get("generate")
        if gen is not None:
            if not isinstance(gen, dict) or set(gen) != {"prefix", "count", "first_id"} or not \
                    all(isinstance(gen[k], int) for k in ("count", "first_id")) or \
                    not 1 <= gen["count"] <= 100_000:
                raise _err(path, f"{where}.generate", "expected { prefix = \"...\", count = N, "
                           "first_id = ID } (N 1..100000)")
            for k in range(gen["count"]):
                n = f"{gen['prefix']}{k}"
                ids[n] = (owner or "vmlinux", gen["first_id"] + k)
                names.append(n)
        for n in names:
            if n not in ids:
                raise _err(path, f"{where}.kfuncs", f"unknown kfunc {n!r}: give its BTF ID "
                           "under [ids.<btf>]")
            if ids[n][0] != (owner or "vmlinux"):
                raise _err(path, f"{where}.kfuncs", f"{n!r} lives in {ids[n][0]}'s BTF, but this "
                           f"set's owner is {owner or 'vmlinux (built in)'}")
        flags_tbl = s.get("flags", {})
        if not isinstance(flags_tbl, dict):
            raise _err(path, f"{where}.flags", "expected a table kfunc = [\"KF_...\", ...]")
        flags: dict[str, int] = {}
        for n, fl in flags_tbl.items():
            if n not in names:
                raise _err(path, f"{where}.flags.{n}", "not one of this set's kfuncs")
            if not isinstance(fl, list) or not all(isinstance(x, str) for x in fl):
                raise _err(path, f"{where}.flags.{n}", "expected a list of flag names")
            try:
                flags[n] = parse_flags(fl)
            except ValueError as e:
                raise _err(path, f"{where}.flags.{n}", str(e)) from None
        macro = s.get("macro", "BTF_KFUNCS_START")
        if macro not in ("BTF_KFUNCS_START", "BTF_SET8_START"):
            raise _err(path, f"{where}.macro", f"{macro!r} (allowed: BTF_KFUNCS_START, "
                       "BTF_SET8_START)")
        symbol = str(s.get("symbol", sname))
        spec = Set8Spec(sname, symbol, owner, pt, tuple((n, flags.get(n, 0)) for n in names),
                        macro == "BTF_KFUNCS_START", None, str(s.get("initcall", "")),
                        str(s.get("source", "")), bool(s.get("hypothetical", False)))
        flt = _filter(s, path, where, spec.addr)
        sets[sname] = Set8Spec(spec.name, spec.symbol, spec.owner, spec.prog_type, spec.kfuncs,
                               spec.kfuncs_macro, flt, spec.initcall, spec.source,
                               spec.hypothetical)
    modules: dict[str, tuple[str, ...]] = {}
    for where, m in _tables(data, "modules", path):
        _known(m, {"name", "init"}, path, where)
        mname, init = _module_init(m, path, where, {n: x.owner for n, x in sets.items()})
        modules[mname] = init
    threads = _threads(data, path, sets, modules, ids)
    variants = _choices(data, "variants", path, MODERN_VARIANTS, "variant", KERNEL)
    faults = _choices(data, "faults", path, MODERN_FAULTS, "fault", KERNEL)
    default_faults = _strlist(data, "default_faults", path, "")
    return ModernScenario(
        name, _str(data, "title", path, "", name), _str(data, "description", path, "", "").strip(),
        path, ids, {}, {}, threads, (), variants, faults, default_faults, kernel,
        _strlist(data, "notes", path, ""), sets8=sets, modules8=modules,
        sources=_strlist(data, "sources", path, ""))


def _threads(data: dict[str, Any], path: str, sets: dict[str, Set8Spec],
             modules: dict[str, tuple[str, ...]],
             ids: dict[str, tuple[str, int]]) -> tuple[ThreadSpec, ...]:
    def params(kind: str, t: dict[str, Any], where: str) -> dict[str, Any]:
        if kind == "do_initcalls":
            return {"sets": _initcall_sets(t, path, where,
                                           lambda sn: sn in sets and sets[sn].owner is None,
                                           "a built-in set")}
        if kind == "module_init":
            return {"module": _thread_module(t, path, where, modules)}
        _known(t, THREAD_KEYS | {"prog_type", "attach", "kfunc"}, path, where)
        kfunc, pt, btf = _thread_kfunc(t, path, where, ids, modules, parse_prog_type)
        return {"prog_type": pt, "attach": _str(t, "attach", path, where, ""), "kfunc": kfunc,
                "btf": btf}

    return _thread_specs(data, path, THREAD_KINDS, params)


# -- building the first state -------------------------------------------------------------------


def check_options(sc: ModernScenario, opts: Options) -> None:
    for v in opts.variants:
        if v not in MODERN_VARIANTS:
            raise InputError(f"what-if {v!r} ({VARIANTS[v].title}) is a {HISTORIC_KERNELS[-1]} "
                             f"what-if; {sc.name} ({KERNEL}) offers: {', '.join(MODERN_VARIANTS)}")
    for f, _n in opts.faults:
        if f not in MODERN_FAULTS:
            raise InputError(f"fault {f!r} ({FAULTS[f].title}) does not apply to {sc.name} "
                             f"({KERNEL}); allowed: {', '.join(MODERN_FAULTS)}")


def kset_value(s: Set8Spec) -> v6.Kset8:
    return (s.name, s.owner, s.addr, s.filter)


def build_world(sc: ModernScenario, opts: Options) -> World:
    from explorer.model.v6 import registry as v6

    check_options(sc, opts)
    w = empty_world(opts.config())
    for s in sc.sets8.values():
        pairs = sorted((sc.ids[n][1], fl) for n, fl in s.kfuncs)  # resolve_btfids sorts by id
        w = w.with_idset(v6.IdSet8(
            s.addr, len(pairs), tuple(i for i, _ in pairs), "module" if s.owner else "vmlinux",
            s.owner, s.symbol, flagmap=tuple(pairs),
            set_flags=BTF_SET8_KFUNCS if s.kfuncs_macro else 0))
    for m in sc.modules8:
        w = api.add_module(w, m)
        w = api.publish_module_btf(w, m)
    if any(t.kind == "do_initcalls" for t in sc.threads):
        from dataclasses import replace

        w = replace(w, booted=False)
    return w


def thread_frame(sc: ModernScenario, t: ThreadSpec, opts: Options) -> Frame:
    from explorer.model.v6 import registry as v6

    if t.kind == "do_initcalls":
        regs = tuple((sc.sets8[sn].initcall or sn, int(sc.sets8[sn].prog_type),
                      kset_value(sc.sets8[sn])) for sn in t.get("sets"))
        return new_frame("do_initcalls" + v6.V, {"regs": regs, "i": 0, "results": ()})
    if t.kind == "module_init":
        regs = tuple((sn, int(sc.sets8[sn].prog_type), kset_value(sc.sets8[sn]))
                     for sn in sc.modules8[t.get("module")])
        return new_frame("module_init" + v6.V, {"regs": regs, "i": 0, "mod": t.get("module")})
    kfunc = t.get("kfunc")
    return new_frame("fetch_kfunc_meta" + v6.V, {
        "btf": t.get("btf"), "kfunc_id": sc.ids[kfunc][1], "kfunc_name": kfunc,
        "prog": (int(t.get("prog_type")), t.get("attach"))})


def is_modern(sc: Scenario) -> bool:
    return isinstance(sc, ModernScenario)
