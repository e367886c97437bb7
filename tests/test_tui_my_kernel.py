"""The TUI offers my_kernel when this machine's BTF is readable, and says plainly why not."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from explorer.sim import kernel_scenario as ks
from explorer.sim.errors import InputError
from explorer.tui.app import ExplorerApp
from explorer.tui.widgets.error_bar import ErrorBar
from explorer.views import controller as ctl
from tests.conftest import drive
from tests.test_tui import main_of

REASON = "/sys/kernel/btf/vmlinux: cannot read: No such file or directory (the my_kernel " \
    "scenario needs a kernel built with CONFIG_DEBUG_INFO_BTF)"


def _unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: str = "") -> object:
        raise InputError(REASON)

    monkeypatch.setattr(ks, "kernel_scenario", refuse)
    # the controller imports kernel_status when it lists scenarios: replaced where it lives
    monkeypatch.setattr(ks, "kernel_status", lambda: (False, REASON))


def test_unavailable_my_kernel_is_listed_with_its_reason_and_loading_it_says_why(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _unavailable(monkeypatch)
    seen: dict[str, object] = {}

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        mine = [c for c in m.controller.scenarios() if c.name == "my_kernel"]
        seen["choice"] = mine[0] if mine else None
        before = m.controller.snapshot().scenario
        assert not m.load_scenario("my_kernel")
        await pilot.pause()
        seen["error"] = m.query_one(ErrorBar).message
        seen["kept"] = m.controller.snapshot().scenario == before

    drive(body)
    choice = seen["choice"]
    assert isinstance(choice, ctl.Choice) and not choice.available
    assert "CONFIG_DEBUG_INFO_BTF" in choice.title
    assert "cannot read" in str(seen["error"]) and seen["kept"] is True


def test_available_my_kernel_loads_real_ids() -> None:
    ok, why = ctl.Controller.my_kernel_status()
    if not ok:
        pytest.skip(why)
    seen: dict[str, object] = {}

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert m.load_scenario("my_kernel")
        await pilot.press("b", "b", "b", "b", "b", "b", "b")
        await pilot.pause()
        snap = m.controller.snapshot()
        seen["scenario"] = snap.scenario
        seen["tab"] = snap.tables[0].tab

    drive(body)
    assert seen["scenario"] == "my_kernel" and seen["tab"] is not None
