"""Raw BTF files: a fast, defensive, standard-library-only reader.

This package sits beside the kernel model, not inside it: the model is pure (no I/O), while this
reads files (``/sys/kernel/btf/vmlinux`` and module BTF). It imports nothing else from the
project, so the simulator (the ``my_kernel`` scenario) and the CLI (``kfunc-explorer btf``) can
both use it without going through each other.
"""

from explorer.btf.reader import (
    DEFAULT_VMLINUX,
    BtfFile,
    BtfFormatError,
    Kfunc,
    Kind,
    read_btf,
    read_btf_file,
)

__all__ = ["DEFAULT_VMLINUX", "BtfFile", "BtfFormatError", "Kfunc", "Kind", "read_btf",
           "read_btf_file"]
