"""Raw BTF files for the fronts: the model's reader, as the views layer offers it.

Fronts never import the model; this is the one door to :mod:`explorer.model.btf_reader`
(``kfunc-explorer btf``) so the layering stays fronts → views → sim → model.
"""

from explorer.model.btf_reader import (
    DEFAULT_VMLINUX,
    BtfFile,
    BtfFormatError,
    Kfunc,
    read_btf_file,
)

__all__ = ["DEFAULT_VMLINUX", "BtfFile", "BtfFormatError", "Kfunc", "read_btf_file"]
