"""The pure kernel model: kfunc BTF ID set registry of Linux 5.18, step for step.

No UI imports, deterministic, typed. Importing this package registers every modelled kernel
function in :data:`explorer.model.machine.FUNCTIONS`.
"""

from explorer.model import btf_kfunc, libsort, module, verifier  # noqa: F401  (registration)
from explorer.model.api import (
    CallResult,
    add_id_set,
    add_module,
    btf_kfunc_id_set_contains,
    call_function,
    make_kset,
    publish_module_btf,
    register_btf_kfunc_id_set,
)
from explorer.model.constants import (
    BTF_KFUNC_SET_MAX_CNT,
    HOOKS,
    TYPES,
    BpfProgType,
    BtfKfuncHook,
    BtfKfuncType,
    bpf_prog_type_to_kfunc_hook,
    errno_name,
)
from explorer.model.libsort import btf_id_cmp_func, kernel_bsearch, kernel_sort
from explorer.model.machine import FUNCTIONS, Event, Frame, KernelFunction
from explorer.model.state import Config, World, cell_ids, empty_world, table_of

__all__ = [
    "BTF_KFUNC_SET_MAX_CNT",
    "FUNCTIONS",
    "HOOKS",
    "TYPES",
    "BpfProgType",
    "BtfKfuncHook",
    "BtfKfuncType",
    "CallResult",
    "Config",
    "Event",
    "Frame",
    "KernelFunction",
    "World",
    "add_id_set",
    "add_module",
    "bpf_prog_type_to_kfunc_hook",
    "btf_id_cmp_func",
    "btf_kfunc_id_set_contains",
    "call_function",
    "cell_ids",
    "empty_world",
    "errno_name",
    "kernel_bsearch",
    "kernel_sort",
    "make_kset",
    "publish_module_btf",
    "register_btf_kfunc_id_set",
    "table_of",
]
