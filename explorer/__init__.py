"""kfunc-explorer: an explorable, faithful model of the kernel's kfunc BTF ID set registry."""

__version__ = "0.1.0"
