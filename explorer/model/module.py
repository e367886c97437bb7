"""kernel/module.c (load path) and the boot initcalls, as far as this subject needs them.

Modelled functions: ``load_module`` (formation, COMING notifiers via ``prepare_coming_module``),
``do_init_module`` (the module's init, then LIVE or GOING), ``free_module``, a module's init
function (``<mod>_init``: one ``register_btf_kfunc_id_set`` per program type, as
net/ipv4/tcp_bbr.c or bpf_testmod do), the old API's ``register_kfunc_btf_id_set``, and
``do_initcalls`` (init/main.c) running built-in subsystems' registrations at boot.

An init step list ``regs`` is a tuple of ``("new", prog_type, kset)`` (this series) or
``("old", list_name, set_addr)`` (before it: ``register_kfunc_btf_id_set``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from explorer.model.constants import BpfProgType, errno_name
from explorer.model.machine import (
    Ctx,
    Effect,
    Frame,
    KernelFunction,
    Vars,
    call,
    ev,
    goto,
    ret,
    tail_call,
)
from explorer.model.state import MODULE_STATE_COMING, MODULE_STATE_GOING, MODULE_STATE_LIVE, World


def set_state(w: World, v: Vars, state: str, then: str) -> Effect:
    """``mod->state = state`` (one labelled step of load_module or do_init_module), then the
    label ``then``."""
    mod = v["mod"]
    w = w.with_module(replace(w.module(mod), state=state))
    return goto(then, w, v, ev("state", f"{mod}: {state}", module=mod))


def notify(w: World, v: Vars, state: str, then: str) -> Effect:
    """``blocking_notifier_call_chain(&module_notify_list, state, mod)``: of the notifiers, the
    model runs btf_module_notify(); back at the label ``then``."""
    return call("btf_module_notify", {"mod": v["mod"], "op": state, "has_btf": v["has_btf"]},
                then, "", w, v)


class LoadModule(KernelFunction, name="load_module", file="kernel/module.c"):
    """finit_module(2): form the module, run COMING notifiers, then its init"""

    listing_src = """
static int load_module(struct load_info *info, const char __user *uargs, int flags)
{
	struct module *mod;
	int err;

@entry	mod = layout_and_allocate(info, flags);	/* MODULE_STATE_UNFORMED */
	...
	err = complete_formation(mod, info);	/* mod->state = MODULE_STATE_COMING */
@notify	err = prepare_coming_module(mod);	/* COMING notifiers: btf_module_notify() */
	if (err)
		goto bug_cleanup;
@init	return do_init_module(mod);		/* runs mod->init, then LIVE or GOING */
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        match f.pc:
            case "entry":
                return set_state(w, v, MODULE_STATE_COMING, "notify")
            case "notify":
                return notify(w, v, MODULE_STATE_COMING, "init")
            case "init":
                return tail_call("do_init_module", dict(v), w)
        raise AssertionError(f.pc)


class DoInitModule(KernelFunction, name="do_init_module", file="kernel/module.c"):
    """call the module's init; on success LIVE, on failure GOING and free"""

    listing_src = """
static noinline int do_init_module(struct module *mod)
{
	int ret;

@entry	ret = do_one_initcall(mod->init);	/* the module's init function */
@check	if (ret < 0)
		goto fail_free_freeinit;
@live	mod->state = MODULE_STATE_LIVE;
@notify_live	blocking_notifier_call_chain(&module_notify_list, MODULE_STATE_LIVE, mod);
@done	return 0;

fail_free_freeinit:
@going	mod->state = MODULE_STATE_GOING;
@notify_going	blocking_notifier_call_chain(&module_notify_list, MODULE_STATE_GOING, mod);
@free	free_module(mod);			/* whatever references others still hold */
@fail	return ret;
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        mod = v["mod"]
        m = w.module(mod)
        match f.pc:
            case "entry":
                init = ("module_init@5.16" if any(r[0] == "old" for r in v["regs"])
                        else "module_init")
                return call(init, {"mod": mod, "regs": v["regs"], "i": 0,
                            "init_error": v["init_error"]}, "check", "ret", w, v)
            case "check":
                r = v["ret"]
                return goto("going" if r < 0 else "live", w, v,
                            ev("note", f"{mod}_init() returned {errno_name(r)}"))
            case "live":
                return set_state(w, v, MODULE_STATE_LIVE, "notify_live")
            case "notify_live":
                return notify(w, v, MODULE_STATE_LIVE, "done")
            case "done":
                return ret(0, w)
            case "going":
                return set_state(w, v, MODULE_STATE_GOING, "notify_going")
            case "notify_going":
                return notify(w, v, MODULE_STATE_GOING, "free")
            case "free":
                mem = w.mem
                for addr, s in w.mem.items():
                    if s.owner == mod:
                        mem = mem.set(addr, replace(s, freed=True))
                w = replace(w, mem=mem).with_module(replace(m, freed=True))
                held = f" while {m.refcnt} reference(s) are still held" if m.refcnt else ""
                return goto("fail", w, v, ev("free", f"free_module({mod}){held}", module=mod,
                                             refcnt=m.refcnt))
            case "fail":
                return ret(v["ret"], w)
        raise AssertionError(f.pc)


class ModuleInit(KernelFunction, name="module_init", file="<module>.c"):
    """the module's __init function: its registrations, in order"""

    listing_src = """
static int __init mod_init(void)	/* e.g. bbr_register(), bpf_testmod_init() */
{
	int ret;

@entry	for (i = 0; i < nr_kfunc_sets; i++) {	/* one registration per program type */
		ret = register_btf_kfunc_id_set(sets[i].prog_type, &sets[i].kset);
		/* (before this series: register_kfunc_btf_id_set(&list, &set), last in init) */
@after		if (ret < 0)
			return ret;
	}
@tail	return injected_error;		/* 0; or a failure after registering (bpf_mod_race) */
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        regs = v["regs"]
        i = v["i"]
        if f.pc == "after":
            if v["ret"] < 0:
                return ret(v["ret"], w)
            i += 1
        elif f.pc == "tail":
            err = v["init_error"]
            e = ev("error", f"init fails: {errno_name(err)} (injected)") if err else None
            return ret(err, w, *([e] if e else []))
        if i >= len(regs):
            return self.step(w, replace(f, pc="tail", vars=v.set(i=i)), ctx)
        kind, a, b = regs[i]
        if kind == "new":
            return call("register_btf_kfunc_id_set", {"prog_type": a, "kset": b}, "after", "ret",
                        w, v.set(i=i))
        return call("register_kfunc_btf_id_set", {"list": a, "set": b}, "after", "ret",
                    w, v.set(i=i))


class ModuleInit516(ModuleInit, name="module_init", file="<module>.c (v5.16)", version="5.16"):
    """the module's __init function before this series: its sets go on a list, last in init

    As v5.16's ``bpf_testmod_init`` (tools/testing/selftests/bpf/bpf_testmod/bpf_testmod.c):
    ``sysfs_create_bin_file`` (not modelled), then ``register_kfunc_btf_id_set(&prog_test_kfunc_list,
    &bpf_testmod_kfunc_btf_set)``, which returns void, then ``return 0``. The steps are
    :class:`ModuleInit`'s; only the listing is the old API's.
    """

    listing_src = """
static int __init mod_init(void)	/* v5.16, e.g. bpf_testmod_init() */
{
	/* ret = sysfs_create_bin_file(...); if (ret) return ret;	(not modelled) */
@entry	for (i = 0; i < nr_kfunc_sets; i++)	/* bpf_testmod: one set, last in init */
		register_kfunc_btf_id_set(&prog_test_kfunc_list, &bpf_testmod_kfunc_btf_set);
@after		;	/* it returns void: there is nothing to check */
@tail	return injected_error;		/* 0; or a failure after registering (a fault) */
}
"""


class RegisterKfuncBtfIdSet(KernelFunction, name="register_kfunc_btf_id_set", file="kernel/bpf/btf.c (v5.16)"):
    """the old API: add a module's set to a mutex-protected list"""

    listing_src = """
/* Before this series (v5.15-v5.16): one list per program type, e.g. prog_test_kfunc_list. */
void register_kfunc_btf_id_set(struct kfunc_btf_id_list *l, struct kfunc_btf_id_set *s)
{
@entry	mutex_lock(&l->mutex);
	list_add(&s->list, &l->list);
	mutex_unlock(&l->mutex);
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        lst, addr = f.vars["list"], f.vars["set"]
        cur = w.old_lists.get(lst, ())
        w = replace(w, old_lists=w.old_lists.set(lst, (addr, *cur)))
        return ret(0, w, ev("lock", f"{lst}: list_add(&{w.idset(addr).symbol})", addr=addr))


class AfterBoot(KernelFunction):
    """Base of an activity a user process starts (a program load): its first step waits for the
    end of boot and then for :meth:`ready`.

    No process runs during ``do_initcalls``: ``kernel_init`` runs ``kernel_init_freeable`` →
    ``do_basic_setup`` → ``do_initcalls`` and only then ``run_init_process`` (init/main.c; read in
    Kingxukai/linux 0291023e, 6.17-rc3; the same order in v5.18). Both kernels' models share it.
    """

    def ready(self, w: World, f: Frame) -> bool:
        """Whether the first step, boot over, can run (True unless the activity waits)."""
        return True

    def not_ready(self, w: World, f: Frame) -> str:
        """What the first step waits for once boot is over (when :meth:`ready` is False)."""
        return "another thread"

    def enabled(self, w: World, f: Frame, ctx: Ctx) -> bool:
        return f.pc != "entry" or (w.booted and self.ready(w, f))

    def waits_for(self, w: World, f: Frame, ctx: Ctx) -> str:
        if self.enabled(w, f, ctx):
            return ""
        if not w.booted:
            return "the end of boot (no process runs during do_initcalls)"
        return self.not_ready(w, f)


class DoInitcalls(KernelFunction, name="do_initcalls", file="init/main.c"):
    """boot: built-in subsystems' initcalls register their kfunc sets into vmlinux BTF

    One model for both kernels: ``do_initcalls`` → ``do_initcall_level`` → ``do_one_initcall``
    runs every initcall of every level in order, logs a failure and goes on, in v5.18 as in 6.17
    (read in init/main.c of Kingxukai/linux 0291023e, 6.17-rc3). What differs between the two
    trees (how the command line's copy is sized) is not modelled. Only the registration an
    initcall makes differs, so :attr:`register` names it; the 6.17 model subclasses this with
    its own.
    """

    register: ClassVar[str] = "register_btf_kfunc_id_set"
    """Registry key of the ``register_btf_kfunc_id_set`` an initcall calls."""

    listing_src = """
static void __init do_initcalls(void)	/* before any process exists: no verifier can run */
{
@entry	for (each initcall fn, by level)	/* do_initcall_level() → do_one_initcall(fn) */
		ret = fn();	/* → register_btf_kfunc_id_set(prog_type, &kset), owner NULL */
@after	/* a failing initcall is logged; boot goes on */
@done	return;
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        regs = v["regs"]
        i = v.get("i", 0)
        results = v.get("results", ())
        if f.pc == "after":
            results = (*results, v["ret"])
            i += 1
            e = ev("note", f"initcall {regs[i - 1][0]} returned {errno_name(v['ret'])}")
            return goto("entry" if i < len(regs) else "done", w, v.set(i=i, results=results), e)
        if f.pc == "done" or i >= len(regs):
            first = next((r for r in results if r), 0)
            return ret(first, replace(w, booted=True),
                       ev("state", "initcalls done: user space starts"))
        label, prog_type, kset = regs[i]
        return call(self.register, {"prog_type": prog_type, "kset": kset},
                    "after", "ret", w, v.set(i=i, results=results),
                    ev("note", f"initcall {label}: register for {BpfProgType(prog_type).short}"))
