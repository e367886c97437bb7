"""Regression tests of notebook defects: header, stale diagrams, zoom, dark theme, code wrapping."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("ipywidgets")

from explorer.notebook import Explorer, render
from explorer.notebook.widgets import ZOOMS


def test_header_names_the_kernel_once() -> None:
    ex = Explorer("boot_tcp", diagrams=False)
    assert "kernel, kernel" not in ex.header.value
    assert "[boot_tcp, Linux 5.18]" in ex.header.value
    ex.set_options(("no_sort",))
    assert "[boot_tcp, no_sort, Linux 5.18]" in ex.header.value


def test_switching_scenario_leaves_no_stale_module_diagram() -> None:
    ex = Explorer("module_race", schedule="L4", diagrams=True)
    ex.tabs.selected_index = 3  # modules
    assert ex.module_svg.value  # the module's state machine
    ex.scenario_pick.value = "boot_tcp"  # no modules
    assert ex.module_svg.value == ""
    assert "No modules" in ex.modules_html.value


def test_diagrams_fit_scroll_and_zoom() -> None:
    assert re.search(r"\.kx-diagram \{[^}]*overflow: auto", render.STYLE)
    assert re.search(r"\.kx-diagram svg \{[^}]*max-width: 100%", render.STYLE)
    ex = Explorer("boot_tcp", schedule="B40", diagrams=True)
    assert "kx-diagram" in ex.pointer_svg.value or "DOT source" in ex.pointer_svg.value
    ex.zoom.value = "100%"
    assert all(ZOOMS["100%"] in v._dom_classes for v in ex.diagram_views)
    ex.zoom.value = "200%"
    assert all(ZOOMS["200%"] in v._dom_classes and ZOOMS["100%"] not in v._dom_classes
               for v in ex.diagram_views)
    ex.zoom.value = "fit"
    assert not any(c in v._dom_classes for v in ex.diagram_views for c in ZOOMS.values() if c)


def test_highlights_carry_their_own_text_colour_for_dark_themes() -> None:
    for cls in ("kx-cur", "kx-kmalloc", "kx-module", "kx-freed", "kx-cmp", "kx-swap",
                "kx-pivot", "kx-range", "kx-tail"):
        rule = re.search(r"\." + cls + r" \{([^}]*)\}", render.STYLE)
        assert rule and "color: #111" in rule.group(1), cls


def test_code_lines_never_break_mid_word() -> None:
    rule = re.search(r"\.kx-lane pre \{([^}]*)\}", render.STYLE)
    assert rule and "white-space: pre;" in rule.group(1) and "overflow-x: auto" in rule.group(1)
