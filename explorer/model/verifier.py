"""The verifier's side: loading a program that calls a module's kfunc.

Modelled functions (kernel names): ``bpf_prog_load`` (kernel/bpf/syscall.c; with the user-space
step that opens the module's BTF by ID before it), ``bpf_check``, ``add_kfunc_call`` →
``__find_kfunc_desc_btf`` (kernel/bpf/verifier.c), ``check_kfunc_call`` as of this series and in its
v5.16 form with ``bpf_prog_test_check_kfunc_call`` (net/bpf/test_run.c) and
``bpf_check_mod_kfunc_call`` (kernel/bpf/btf.c) walking the old mutex-protected list.
"""

from __future__ import annotations

from dataclasses import replace

from explorer.model.constants import (
    EACCES,
    EINVAL,
    ENOENT,
    ENXIO,
    BtfKfuncType,
    errno_name,
)
from explorer.model.machine import (
    Ctx,
    Effect,
    Event,
    Frame,
    KernelFunction,
    Vars,
    call,
    ev,
    goto,
    ret,
    tail_call,
)
from explorer.model.module import AfterBoot
from explorer.model.state import World


class BpfProgLoad(AfterBoot, name="bpf_prog_load", file="kernel/bpf/syscall.c"):
    """user space opens the module's BTF, loads a program calling its kfunc, later closes it"""

    listing_src = """
/* user space, e.g. libbpf: the kfunc call insn names the module's BTF by fd */
@entry	btf_fd = bpf_btf_get_fd_by_id(module_btf_id);	/* waits until the BTF is published */
	if (btf_fd < 0)
		return -ENOENT;			/* the module (and its BTF) is already gone */
@load	err = bpf_prog_load(prog_type, insns, fd_array = { btf_fd });	/* → bpf_check() */
	/* ... the program is attached, runs, and is finally closed: */
@close	close(prog_fd);	/* bpf_prog_put() → free kfunc_btf_tab → module_put(desc->module) */
	return err;
"""

    def ready(self, w: World, f: Frame) -> bool:
        """bpf_btf_get_fd_by_id() needs a published BTF (btf_get_fd_by_id: idr_find(&btf_idr, id)
        finds only what btf_alloc_id() added)."""
        return f.vars["btf"] in w.btfs

    def not_ready(self, w: World, f: Frame) -> str:
        return f"{f.vars['btf']}'s BTF to be published (bpf_btf_get_fd_by_id)"

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        btf = v["btf"]
        match f.pc:
            case "entry":
                b = w.btf(btf)
                if not b.is_module:
                    return goto("load", w, v, ev("note", "kfunc in vmlinux BTF: no fd needed"))
                if not b.published:
                    return ret(-ENOENT, w, ev("error", f"BTF of {btf} is gone: -ENOENT"))
                w = w.with_btf(replace(b, refcnt=b.refcnt + 1))
                return goto("load", w, v, ev("ref", f"user space opened {btf}'s BTF (fd)",
                                             btf=btf))
            case "load":
                return call("bpf_check", dict(v), "close", "err", w, v)
            case "close":
                err = v["err"]
                mod = w.kfunc_btf_tabs.get(ctx.thread)
                events = []
                if mod is not None:
                    m = w.module(mod)
                    w = replace(w, kfunc_btf_tabs=w.kfunc_btf_tabs.remove(ctx.thread))
                    if m.freed:
                        w = replace(w, uaf=True, uaf_by=(*w.uaf_by, ctx.thread))
                        events.append(ev("error", f"module_put({mod}): the module was freed: "
                                         "use-after-free", module=mod))
                    else:
                        w = w.with_module(replace(m, refcnt=m.refcnt - 1))
                        events.append(ev("ref", f"module_put({mod})", module=mod))
                b = w.btf(btf)
                if b.is_module:
                    w = w.with_btf(replace(b, refcnt=b.refcnt - 1,
                                           published=b.published and b.refcnt - 1 > 0))
                return ret(err, w, *events, ev("note", f"program load: {errno_name(err)}"))
        raise AssertionError(f.pc)


class BpfCheck(KernelFunction, name="bpf_check", file="kernel/bpf/verifier.c"):
    """the verifier, reduced to one kfunc call instruction"""

    listing_src = """
int bpf_check(struct bpf_prog **prog, union bpf_attr *attr, bpfptr_t uattr)
{
	...
@entry	ret = add_subprog_and_kfunc(env);	/* → add_kfunc_call() for the call insn */
@added	if (ret < 0)
		goto skip_full_check;
	...
	ret = do_check_main(env);		/* the call insn → check_kfunc_call() */
@checked	...
skip_full_check:
	return ret;
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        match f.pc:
            case "entry":
                return call("add_kfunc_call", dict(v), "added", "err", w, v)
            case "added":
                if v["err"] < 0:
                    return ret(v["err"], w)
                fn = "check_kfunc_call" if v["api"] == "new" else "check_kfunc_call@5.16"
                return call(fn, dict(v), "checked", "err", w, v)
            case "checked":
                return ret(v["err"], w)
        raise AssertionError(f.pc)


class AddKfuncCall(KernelFunction, name="add_kfunc_call", file="kernel/bpf/verifier.c"):
    """record the kfunc's descriptor; for a module BTF this needs a module reference"""

    listing_src = """
static int add_kfunc_call(struct bpf_verifier_env *env, u32 func_id, s16 offset)
{
	struct btf *desc_btf;
	...
@entry	desc_btf = find_kfunc_desc_btf(env, func_id, offset, NULL);	/* → __find_kfunc_desc_btf() */
@found	if (IS_ERR(desc_btf)) {
		verbose(env, "failed to find BTF for kernel function\\n");	/* the only log line */
		return PTR_ERR(desc_btf);
	}
	... /* look up the FUNC and its prototype in desc_btf, add the descriptor */
	return 0;
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        if f.pc == "entry":
            return call("__find_kfunc_desc_btf", dict(v), "found", "err", w, v)
        err = v["err"]
        if err < 0:
            return ret(err, w, ev("error", "verifier log: failed to find BTF for kernel function "
                                  f"(-{errno_name(err)})"))
        return ret(0, w)


class FindKfuncDescBtf(KernelFunction, name="__find_kfunc_desc_btf", file="kernel/bpf/verifier.c"):
    """resolve the insn's BTF fd; take a module reference, or fail with -ENXIO"""

    listing_src = """
static struct btf *__find_kfunc_desc_btf(struct bpf_verifier_env *env,
					 s16 offset, struct module **btf_modp)
{
	...
@entry	btf = btf_get_by_fd(btf_fd);
	if (IS_ERR(btf)) {
		verbose(env, "invalid module BTF fd specified\\n");
		return btf;
	}
	if (!btf_is_module(btf)) {
		verbose(env, "BTF fd for kfunc is not a module BTF\\n");
		btf_put(btf);
		return ERR_PTR(-EINVAL);
	}
	mod = btf_try_get_module(btf);		/* NULL until the module is LIVE */
@got	if (!mod) {
		btf_put(btf);
		return ERR_PTR(-ENXIO);		/* no verbose() line of its own */
	}
	b->btf = btf;			/* kept in prog->aux->kfunc_btf_tab until the prog goes */
	b->module = mod;
	return btf;
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        match f.pc:
            case "entry":
                if v["btf"] == "vmlinux":  # insn->off == 0: the kfunc is in vmlinux BTF
                    return ret(0, w, ev("note", "desc_btf = btf_vmlinux (no module reference)"))
                if not w.btf(v["btf"]).is_module:
                    return ret(-EINVAL, w, ev("error", "verifier log: BTF fd for kfunc is not a "
                                              "module BTF"))
                return call("btf_try_get_module", {"btf": v["btf"]}, "got", "mod", w, v)
            case "got":
                mod = v["mod"]
                if mod is None:
                    return ret(-ENXIO, w, ev("note", "btf_try_get_module() = NULL: btf_put(), "
                                             "ERR_PTR(-ENXIO)"))
                w = replace(w, kfunc_btf_tabs=w.kfunc_btf_tabs.set(ctx.thread, mod))
                return ret(0, w, ev("ref", f"kfunc_btf_tab holds {mod}", module=mod))
        raise AssertionError(f.pc)


class CheckKfuncCall(KernelFunction, name="check_kfunc_call", file="kernel/bpf/verifier.c"):
    """is the kfunc allowed for this program type, and how to treat its result?"""

    listing_src = """
static int check_kfunc_call(struct bpf_verifier_env *env, struct bpf_insn *insn, int *insn_idx_p)
{
	...
@entry	if (!btf_kfunc_id_set_contains(desc_btf, resolve_prog_type(env->prog),
				       BTF_KFUNC_TYPE_CHECK, func_id)) {
@allowed		verbose(env, "calling kernel function %s is not allowed\\n", func_name);
		return -EACCES;
	}
	acq = btf_kfunc_id_set_contains(desc_btf, resolve_prog_type(env->prog),
					BTF_KFUNC_TYPE_ACQUIRE, func_id);
@acquire	err = btf_check_kfunc_arg_match(env, desc_btf, func_id, regs);	/* asks RELEASE */
@release	if (err < 0)
		return err;
	... /* release a referenced argument; mark caller-saved registers */
	t = btf_type_skip_modifiers(desc_btf, func_proto->type, NULL);
	if (btf_type_is_scalar(t)) {
		mark_reg_unknown(env, regs, BPF_REG_0);
	} else if (btf_type_is_ptr(t)) {	/* must point to a struct */
		...
		if (btf_kfunc_id_set_contains(desc_btf, resolve_prog_type(env->prog),
					      BTF_KFUNC_TYPE_RET_NULL, func_id))
@ret_null			regs[BPF_REG_0].type |= PTR_MAYBE_NULL;
		if (acq)
			... /* R0 carries a new reference (acquire_reference_state) */
	} /* else void */
	return 0;
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        ask = {"btf": v["btf"], "prog_type": v["prog_type"], "id": v["kfunc_id"]}
        match f.pc:
            case "entry":
                return call("btf_kfunc_id_set_contains",
                            {**ask, "type": int(BtfKfuncType.BTF_KFUNC_TYPE_CHECK)},
                            "allowed", "r", w, v)
            case "allowed":
                if not v["r"]:
                    return ret(-EACCES, w, ev("error", "verifier log: calling kernel function "
                                              f"{v['kfunc_name']} is not allowed: -EACCES"))
                return call("btf_kfunc_id_set_contains",
                            {**ask, "type": int(BtfKfuncType.BTF_KFUNC_TYPE_ACQUIRE)},
                            "acquire", "is_acquire", w, v,
                            ev("note", f"{v['kfunc_name']} is in the CHECK set: allowed; "
                               "now ask ACQUIRE"))
            case "acquire":
                return call("btf_check_kfunc_arg_match", ask, "release", "is_release", w, v)
            case "release":
                if v.get("returns", "scalar") != "struct_ptr":
                    return ret(0, w, _allowed(v))
                return call("btf_kfunc_id_set_contains",
                            {**ask, "type": int(BtfKfuncType.BTF_KFUNC_TYPE_RET_NULL)},
                            "ret_null", "is_ret_null", w, v)
            case "ret_null":
                return ret(0, w, _allowed(v))
        raise AssertionError(f.pc)


def _allowed(v: Vars) -> Event:
    """The verifier's verdict line: allowed, and what the sets said about the kfunc."""
    kinds = [k for k in ("acquire", "release", "ret_null") if v.get(f"is_{k}")]
    ret_kind = {"struct_ptr": "returns a struct pointer", "scalar": "returns a scalar",
                "void": "returns void"}.get(str(v.get("returns", "scalar")), "")
    detail = ", ".join([*kinds, ret_kind] if ret_kind else kinds)
    return ev("note", f"{v['kfunc_name']} allowed" + (f" ({detail})" if detail else ""))


class BtfCheckKfuncArgMatch(KernelFunction, name="btf_check_kfunc_arg_match", file="kernel/bpf/btf.c"):
    """check the call's arguments; a kfunc in the RELEASE set must get a referenced one"""

    listing_src = """
int btf_check_kfunc_arg_match(struct bpf_verifier_env *env, const struct btf *btf,
			      u32 func_id, struct bpf_reg_state *regs)
{
@entry	return btf_check_func_arg_match(env, btf, func_id, regs, true);
}

static int btf_check_func_arg_match(..., bool is_kfunc)
{
	bool rel = false;
	...
	/* Only kfunc can be release func */
	if (is_kfunc)
		rel = btf_kfunc_id_set_contains(btf, resolve_prog_type(env->prog),
						BTF_KFUNC_TYPE_RELEASE, func_id);
@args	... /* match each argument's type; for rel, exactly one referenced PTR_TO_BTF_ID */
	return rel ? ref_regno : 0;
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        if f.pc == "entry":
            return call("btf_kfunc_id_set_contains",
                        {**dict(v), "type": int(BtfKfuncType.BTF_KFUNC_TYPE_RELEASE)},
                        "args", "rel", w, v)
        return ret(bool(v["rel"]), w)


class CheckKfuncCallOld(KernelFunction, name="check_kfunc_call", file="kernel/bpf/verifier.c (v5.16)", version="5.16"):
    """before this series: ask the program type's verifier ops"""

    listing_src = """
static int check_kfunc_call(struct bpf_verifier_env *env, struct bpf_insn *insn)	/* v5.16 */
{
	...
@entry	if (!env->ops->check_kfunc_call ||
	    !env->ops->check_kfunc_call(func_id, btf_mod)) {	/* per-program-type callback */
@allowed		verbose(env, "calling kernel function %s is not allowed\\n", func_name);
		return -EACCES;
	}
	return 0;
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        if f.pc == "entry":
            return call("bpf_prog_test_check_kfunc_call", dict(v), "allowed", "r", w, v)
        if not v["r"]:
            return ret(-EACCES, w, ev("error", f"calling kernel function {v['kfunc_name']} is not "
                                      "allowed: -EACCES"))
        return ret(0, w, ev("note", f"{v['kfunc_name']} allowed"))


class BpfProgTestCheckKfuncCall(KernelFunction, name="bpf_prog_test_check_kfunc_call", file="net/bpf/test_run.c (v5.16)"):
    """the SCHED_CLS callback: the static set, then the modules' list"""

    listing_src = """
bool bpf_prog_test_check_kfunc_call(u32 kfunc_id, struct module *owner)	/* v5.16 */
{
@entry	if (btf_id_set_contains(&test_sk_kfunc_ids, kfunc_id))	/* built-in kfuncs */
		return true;
@mods	return bpf_check_mod_kfunc_call(&prog_test_kfunc_list, kfunc_id, owner);
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        if f.pc == "entry":
            static = v.get("static_set")
            if static is None:
                return goto("mods", w, v.set(r=False))
            return call("btf_id_set_contains", {"set": static, "id": v["kfunc_id"]}, "mods", "r",
                        w, v)
        if v["r"]:
            return ret(True, w)
        return tail_call("bpf_check_mod_kfunc_call", dict(v), w)


class BpfCheckModKfuncCall(KernelFunction, name="bpf_check_mod_kfunc_call", file="kernel/bpf/btf.c (v5.16)"):
    """walk the mutex-protected list of module sets"""

    listing_src = """
bool bpf_check_mod_kfunc_call(struct kfunc_btf_id_list *klist, u32 kfunc_id,
			      struct module *owner)	/* v5.16 */
{
	struct kfunc_btf_id_set *s;
	bool ret = false;

@entry	mutex_lock(&klist->mutex);
	list_for_each_entry(s, &klist->list, list) {
		if (s->owner == owner && btf_id_set_contains(s->set, kfunc_id)) {
			ret = true;
			break;
		}
	}
	mutex_unlock(&klist->mutex);
	return ret;	/* not registered yet (init still running): simply "not allowed" */
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        lst = v["old_list"]
        for addr in w.old_lists.get(lst, ()):
            s = w.idset(addr)
            if s.owner == v["btf"] and v["kfunc_id"] in s.valid:
                return ret(True, w, ev("read", f"{lst}: found in {s.symbol}", addr=addr))
        n = len(w.old_lists.get(lst, ()))
        return ret(False, w, ev("read", f"{lst}: {n} set(s), kfunc {v['kfunc_id']} not found"))
