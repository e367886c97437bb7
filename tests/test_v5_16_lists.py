"""v5.16 (old_api) shows what v5.16 had: module sets on a list per program type, no
``kfunc_set_tab`` and no 32-ID limit (QA4 F16), and its module init calls the old API."""

from __future__ import annotations

import asyncio

from explorer.notebook.render import tables_html
from explorer.tui.widgets.table_panel import kfunc_list_renderable
from explorer.views import intents as it
from explorer.views.controller import Controller


def _after_loader() -> Controller:
    c = Controller("old_api")
    while "L" in c.snapshot().runnable:
        c.apply(it.Step("l"))
    return c


def test_v5_16_has_lists_not_tables() -> None:
    c = Controller("old_api")
    snap = c.snapshot()
    assert snap.tables == ()
    assert [(kl.name, kl.sets) for kl in snap.kfunc_lists] == [("prog_test_kfunc_list", ())]
    snap = _after_loader().snapshot()
    assert [(kl.name, kl.sets) for kl in snap.kfunc_lists] == [
        ("prog_test_kfunc_list", (("bpf_testmod_kfunc_btf_set", ("bpf_testmod_test_mod_kfunc",)),))]
    text = kfunc_list_renderable(snap.kfunc_lists[0]).plain
    assert "→ bpf_testmod_kfunc_btf_set: bpf_testmod_test_mod_kfunc" in text
    html = tables_html(snap)
    assert "prog_test_kfunc_list" in html and "kfunc_set_tab = " not in html


def test_5_18_keeps_its_tables() -> None:
    snap = Controller("module_race").snapshot()
    assert snap.tables and snap.kfunc_lists == ()


def test_v5_16_module_init_lists_the_old_call() -> None:
    c = Controller("old_api")
    lane = None
    for _ in range(40):
        snap = c.apply(it.Step("l"))
        lane = next(ln for ln in snap.lanes if ln.letter == "L")
        if lane.func.startswith("module_init"):
            break
    assert lane is not None and lane.func == "module_init@5.16"
    code = "\n".join(lane.lines)
    assert "register_kfunc_btf_id_set(&prog_test_kfunc_list" in code
    assert "register_btf_kfunc_id_set" not in code


def test_the_tui_table_panel_and_versions_show_the_list() -> None:
    from explorer.tui.app import ExplorerApp

    async def run() -> None:
        app = ExplorerApp(scenario="old_api")
        async with app.run_test(size=(120, 40)) as pilot:
            m = app.screen
            for _ in range(8):
                await pilot.press("l")
            await pilot.pause()
            panel = m.panel("table")  # type: ignore[attr-defined]
            lines = "\n".join(strip.text for strip in
                               panel.render_lines(panel.region.reset_offset))
            assert "prog_test_kfunc_list" in lines and "kfunc_set_tab = NULL" not in lines
            assert panel.border_title == "kfunc lists (v5.16)"

    asyncio.run(run())


def test_a_null_617_table_has_617s_hooks_and_limit() -> None:
    """QA4 F15: a NULL 6.17 table was drawn as 5.18's (three hooks, n/32)."""
    from explorer.model.v6.constants import BTF_KFUNC_SET_MAX_CNT, HOOKS

    snap = Controller("e2big", kernel="6.17").snapshot()
    tv = snap.tables[0]
    assert tv.tab is None and tv.kernel == "6.17"
    assert [row[0].hook for row in tv.rows] == [h.short for h in HOOKS]
    assert {row[0].limit for row in tv.rows} == {BTF_KFUNC_SET_MAX_CNT} != {32}
    c = Controller("e2big", kernel="6.17")
    c.run_to_end()
    end = c.snapshot().tables[0]
    assert end.tab is None and end.kernel == "6.17" and end.freed_before
