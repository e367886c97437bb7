"""The registry through time: one table of what changed, and one scenario side by side in
several kernel versions. Plain data for both fronts."""

from __future__ import annotations

from explorer.model.records import dataclass
from explorer.model.v6.constants import HISTORY
from explorer.views.controller import Controller
from explorer.views.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """The registry's shape at one snapshot, and where each fact was read."""

    kernel: str
    hooks: str
    limit: str
    cell: str
    kinds: str
    filters: str
    common: str
    lookup: str
    source: str
    pinned: bool


def history() -> tuple[HistoryRow, ...]:
    """Oldest first: v5.16, v5.18, the two revisions between, 6.17."""
    return tuple(HistoryRow(
        s.kernel, ", ".join(s.hooks) if s.hooks else "—",
        str(s.set_cnt_max) if s.set_cnt_max else "—", s.cell, ", ".join(s.types) or "—",
        f"up to {s.filters} a hook" if s.filters else "—", "yes" if s.common_hook else "—",
        s.lookup, s.source, s.pinned) for s in HISTORY)


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    scenario: str
    kernel: str
    schedule: str
    snapshot: Snapshot


def side_by_side(spec: dict[str, tuple[str, str, str]]) -> tuple[Column, ...]:
    """``{label: (scenario, kernel, schedule)}`` → one snapshot per column, in that order.

    Bad names or schedules raise a one-line ValueError naming the column."""
    out = []
    for label, (scenario, kernel, schedule) in spec.items():
        try:
            ctl = Controller(scenario, kernel=kernel)
            if schedule:
                ctl.load(scenario, (), None, schedule, kernel)
        except ValueError as e:
            raise ValueError(f"column {label!r}: {e}") from None
        out.append(Column(label, scenario, kernel, schedule, ctl.snapshot()))
    return tuple(out)


YEARS_LATER: dict[str, tuple[str, str, str]] = {
    "v5.16": ("old_api", "5.16", "L*"),
    "v5.18": ("boot_tcp", "5.18", "B47"),
    "6.17": ("boot_tcp", "6.17", "B46"),
}
"""One registration in three kernels, each just after it returned (lesson 10): bpf_testmod's
set on v5.16's list, tcp_cubic's initcall in v5.18 and 6.17."""
