"""The notebook front's kernel menu, the 6.17 table and lesson 10's side-by-side view."""

from __future__ import annotations

import pytest

from explorer.notebook import Explorer, LessonWidget, history_html, lesson, side_by_side_html
from explorer.notebook.render import table_html
from explorer.views.controller import Controller
from explorer.views.history import YEARS_LATER, history, side_by_side


def test_kernel_menu_switches_version_and_restarts() -> None:
    e = Explorer("boot_tcp", schedule="B48")
    assert e.kernel_pick.options == ("5.18", "6.17") and e.kernel_pick.value == "5.18"
    e.kernel_pick.value = "6.17"  # the callback a user's pick fires
    snap = e.ctl.snapshot()
    assert snap.kernel == "v6.17" and snap.step == 0
    e.ctl.run_to_end()
    e.refresh()
    assert "25/256" in e.table_html.value and "STRUCT_OPS" in e.table_html.value
    e.scenario_pick.value = "hooks_filters"
    assert e.kernel_pick.options == ("6.17",) and e.kernel_pick.value == "6.17"


def test_explorer_opens_a_617_page_and_bad_kernel_is_one_line() -> None:
    e = Explorer("conntrack_flags", kernel="6.17", schedule="L*V*")
    assert "KF_ACQUIRE|KF_RET_NULL" in e.table_html.value
    assert not e.set_kernel("5.18")  # conntrack_flags exists in 6.17 only
    assert "no 5.18 version" in e.message.value
    assert e.ctl.kernel == "6.17"


def test_set8_table_html_shows_flags_and_filters() -> None:
    ctl = Controller("hooks_filters", kernel="6.17")
    ctl.run_to_end()
    html = table_html(ctl.snapshot().tables[0])
    assert "KF_TRUSTED_ARGS" in html and "tracing_iter_filter (net/core/filter.c)" in html
    assert "NULL: XDP, TC" in html


def test_side_by_side_and_history() -> None:
    cols = side_by_side(YEARS_LATER)
    assert [c.snapshot.kernel for c in cols] == ["v5.16", "v5.18", "v6.17"]
    v516 = cols[0].snapshot  # v5.16 had no kfunc_set_tab: its module sets are on a list
    assert v516.tables == () and [kl.name for kl in v516.kfunc_lists] == ["prog_test_kfunc_list"]
    html = side_by_side_html()
    assert "prog_test_kfunc_list" in html
    assert html.count("kx-lane") == 3 and "4/256" not in html and "6/32" in html
    assert "6/256" in html
    rows = history()
    assert [r.limit for r in rows] == ["—", "32", "32", "256", "256"]
    assert "nhatz11/linux-6.17" in history_html()
    with pytest.raises(ValueError, match="column 'x'"):
        side_by_side({"x": ("old_api", "6.17", "")})


def test_lesson_09_widget_walks_three_kernels() -> None:
    L = lesson("years-later")
    w = LessonWidget(L)
    kernels = []
    for _ in range(3):
        kernels.append(w.explorer.ctl.kernel if w.explorer else "")
        w.next.click()
    assert kernels == ["5.16", "5.18", "6.17"]


def test_what_ifs_that_do_not_apply_are_disabled_and_a_refused_one_unticks() -> None:
    """QA4 F11: on 6.17 a ticked 5.18 what-if stayed ticked though the model stayed the kernel,
    and the message named the CLI's ``--variant`` flag."""
    e = Explorer("boot_tcp", kernel="6.17")
    assert not e.variant_boxes["no_sort"].disabled
    assert e.variant_boxes["no_live_check"].disabled  # as the TUI's what-if list leaves it out
    assert e.set_options(variants=("no_live_check",)) is False
    assert e.variant_boxes["no_live_check"].value is False
    assert e.ctl.options.is_kernel
    assert "no_live_check" in e.message.value and "--variant" not in e.message.value
    e.variant_boxes["no_sort"].value = True  # the callback a user's tick fires
    assert e.ctl.options.variants == ("no_sort",)
    e.scenario_pick.value = "module_race"  # a 5.18 race: the live check applies
    assert not e.variant_boxes["no_live_check"].disabled


def test_the_no_sort_what_if_names_each_kernels_function() -> None:
    """QA4 F12: the banner named v5.18's __btf_populate_kfunc_set() on 6.17 too."""
    from explorer.sim.variants import VARIANTS

    c = VARIANTS["no_sort"]
    assert "__btf_populate_kfunc_set" not in c.title
    for name in ("__btf_populate_kfunc_set()", "btf_populate_kfunc_set()",
                 "btf_id_set_contains()", "btf_id_set8_contains()"):
        assert name in c.description
