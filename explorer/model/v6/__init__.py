"""The kfunc registry after v5.18: the v6.17 snapshot (and the shape of the versions between).

Importing this package registers the v6.17 kernel functions (keys ending in ``@6.17``) in
:data:`explorer.model.machine.FUNCTIONS`, beside the v5.18 ones.
"""

from explorer.model.v6 import registry  # noqa: F401  (registration)
