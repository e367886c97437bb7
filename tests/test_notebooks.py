"""Every lesson notebook executes top to bottom, headless, without errors (nbclient)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module")
def python3_kernelspec(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A 'python3' kernelspec that runs THIS interpreter (JUPYTER_PATH entries come first)."""
    d = tmp_path_factory.mktemp("jupyter")
    spec = d / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)", "language": "python"}))
    return str(d)


def test_every_lesson_has_its_notebook_and_every_notebook_its_lesson() -> None:
    """Notebook names come from the lesson files (``lessons/NN-slug.toml`` ->
    ``notebooks/NN-slug.ipynb``), in lesson order."""
    lessons = sorted(p.stem for p in (ROOT / "lessons").glob("[0-9][0-9]-*.toml"))
    assert lessons, "no lessons found"
    assert [p.stem for p in NOTEBOOKS] == lessons
    for p in NOTEBOOKS:
        assert p.with_suffix(".py").exists(), f"{p.name}: no jupytext pair"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_imports_the_installed_package(path: Path) -> None:
    """No cell edits sys.path: the notebooks use the installed kfunc-explorer."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        assert "sys.path" not in cell.source, f"{path.name}: a sys.path bootstrap cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{path.name}: outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path: Path, python3_kernelspec: str,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_PATH", python3_kernelspec)
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    t = time.perf_counter()
    client.execute()
    TIMINGS[path.stem] = time.perf_counter() - t
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    html = "".join(str(o.get("data", {}).get("text/html", "")) for c in nb.cells
                   if c.cell_type == "code" for o in c.outputs)
    widgets = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.outputs
                  if "application/vnd.jupyter.widget-view+json" in o.get("data", {}))
    assert widgets >= 2, "the live explorer and the lesson widget"
    assert "<svg" in html or "DOT source" in html, "a diagram (SVG, or DOT with a hint)"
    print(f"{path.stem}: {TIMINGS[path.stem]:.1f} s")
