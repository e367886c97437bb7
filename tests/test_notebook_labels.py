"""The notebook's buttons read everywhere: no label needs a glyph many fonts lack (⏮ and ⏭,
of Unicode's Miscellaneous Technical block, are missing from headless Chromium's fonts); a
button that wants a picture takes a FontAwesome icon, which JupyterLab ships."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ipywidgets as W

from explorer.notebook import ChallengeWidget, Explorer, LessonWidget, SortLabWidget, lesson
from explorer.views.actions import ACTIONS

RARE = range(0x2300, 0x2400)
"""Miscellaneous Technical: ⏮ ⏭ ⏯ ⏵ … (DejaVu, Liberation and Noto Sans have few of them)."""


def _buttons(w: Any) -> Iterator[W.Button]:
    if isinstance(w, W.Button):
        yield w
    for c in getattr(w, "children", ()) or ():
        yield from _buttons(c)


def test_no_button_label_needs_a_rare_glyph() -> None:
    widgets = [Explorer("module_race", diagrams=False), SortLabWidget(diagrams=False),
               ChallengeWidget(), LessonWidget(lesson(6), diagrams=False)]
    buttons = [b for w in widgets for b in _buttons(w)]
    assert len(buttons) > 20
    for b in buttons:
        assert not any(ord(ch) in RARE for ch in b.description), b.description
    for a in ACTIONS:
        assert not any(ord(ch) in RARE for ch in a.button), a.button


def test_start_and_end_are_icons_with_words() -> None:
    ex = Explorer("module_race", diagrams=False)
    lab = SortLabWidget(diagrams=False)
    by_label = {b.description: b for b in _buttons(ex)}
    assert by_label["start"].icon == "fast-backward"
    assert by_label["end"].icon == "fast-forward"
    assert (lab.btn_start.icon, lab.btn_end.icon) == ("fast-backward", "fast-forward")
    assert (lab.btn_start.description, lab.btn_end.description) == ("start", "end")
