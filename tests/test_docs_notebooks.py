"""docs/notebooks.md stays true: every Python example of its notebook API runs, in order, in one
namespace, as a notebook's cells would (displays collected, no browser), and the API it names is
the package's."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import ipywidgets as W
import pytest

import explorer.notebook as nb

DOC = Path(__file__).resolve().parent.parent / "docs" / "notebooks.md"


def _examples() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", DOC.read_text(), flags=re.M | re.S)


def test_the_doc_has_an_example_for_every_public_name_it_documents() -> None:
    code = "\n".join(_examples())
    used = set(re.findall(r"\b(\w+)\(", code))
    for names in re.findall(r"from explorer\.notebook import ([\w, ]+)", code):
        used |= {n.strip() for n in names.split(",")}
    public = {"explore_widget", "show_explore", "lesson", "lessons", "show_lesson", "show_page",
              "show_intro", "PredictionWidget", "LessonWidget", "Explorer", "ChallengeWidget",
              "SortLabWidget", "my_kernel_panel", "show_side_by_side", "show_history"}
    assert public <= used, public - used
    assert public <= set(nb.__all__)
    assert "lesson=" in code  # show_explore's gate


def test_every_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython.display

    shown: list[Any] = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **_kw: shown.extend(objs))
    examples = _examples()
    assert len(examples) >= 8
    g: dict[str, Any] = {"__name__": "__main__"}
    for k, code in enumerate(examples):
        try:
            exec(compile(code, f"{DOC}: example {k + 1}", "exec"), g)
        except Exception as e:  # name the example that broke
            raise AssertionError(f"docs/notebooks.md example {k + 1} fails: {e!r}\n{code}") from e
    assert any(isinstance(o, W.Widget) for o in shown)  # the show_* calls displayed widgets
