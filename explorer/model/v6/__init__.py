"""The kfunc registry after v5.18: the v6.17 snapshot (and the shape of the versions between).

Importing :mod:`explorer.model.v6.registry` registers the v6.17 kernel functions (keys ending in
``@6.17``) in :data:`explorer.model.machine.FUNCTIONS`, beside the v5.18 ones. Whatever builds a
6.17 world or frame imports it first (:mod:`explorer.sim.modern`); a 5.18 session never does,
so the 6.17 model is not loaded before a 5.18 scenario's first frame.
"""

from __future__ import annotations

import sys


def is_v6_tab(tab: object) -> bool:
    """Whether ``tab`` is a 6.17 table (:func:`explorer.model.v6.registry.is_v6_tab`), without
    importing the 6.17 model to say no for a 5.18 one: a 6.17 table can only exist once the
    module of its class has been imported."""
    registry = sys.modules.get(f"{__name__}.registry")
    return registry is not None and bool(registry.is_v6_tab(tab))
