"""The data resolver and the CLI commands for an installed tool: ``--version``, ``lessons``,
``notebooks DIR`` (never over the user's changes without ``--force``) and ``lab``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import explorer
from explorer import resources
from explorer.cli import main
from explorer.cli import notebooks_cmd as nc

ROOT = Path(__file__).resolve().parent.parent


def test_resolver_reads_the_top_level_directories_in_a_clone() -> None:
    # A clone or an editable install has no explorer/_data: the top-level source of truth is read.
    assert not (ROOT / "explorer" / resources.PACKAGED).exists()
    assert resources.lessons_dir() == ROOT / "lessons"
    assert resources.notebooks_dir() == ROOT / "notebooks"
    assert resources.scenarios_dir() == ROOT / "explorer" / "scenarios"
    assert [p.stem for p in resources.lesson_notebooks()] == [
        p.stem for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))]


def test_resolver_finds_the_package_where_importlib_resources_does() -> None:
    """A directory package is read in place, without importing importlib.resources before the
    first frame: the same directory files() gives."""
    from importlib.resources import files

    assert resources._package_root() == Path(str(files(resources.PACKAGE)))


def test_resolver_prefers_the_packaged_copy(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "site" / "explorer"
    (pkg / "_data" / "lessons").mkdir(parents=True)
    (tmp_path / "site" / "lessons").mkdir()  # a stray top-level dir beside site-packages
    monkeypatch.setattr(resources, "_package_root", lambda: pkg)
    assert resources.lessons_dir() == pkg / "_data" / "lessons"
    # Missing everywhere: the packaged path, so that callers name it in their message.
    assert resources.data_dir("challenges") == pkg / "_data" / "challenges"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == f"kfunc-explorer {explorer.__version__}"


def test_lessons_json_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lessons", "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["lessons_dir"] == str(ROOT / "lessons")
    got = [(ls["number"], ls["slug"], ls["notebook"]) for ls in rep["lessons"]]
    assert got == [(int(p.stem[:2]), p.stem[3:], p.stem + ".ipynb")
                   for p in sorted((ROOT / "lessons").glob("[0-9][0-9]-*.toml"))]
    for ls in rep["lessons"]:
        assert ls["pages"] >= 1 and ls["scenario"] == ls["scenarios"][0]
    assert main(["lessons"]) == 0
    out = capsys.readouterr().out
    assert "race" in out and "06-race.ipynb" in out and "pages" in out


def test_lessons_none_found_is_one_line(capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path) -> None:
    import explorer.sim.lessons as sl

    monkeypatch.setattr(sl, "LESSON_DIR", tmp_path)
    assert main(["lessons"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kfunc-explorer lessons: no lessons in") and err.count("\n") == 1


def _copy(dest: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    rc = main(["notebooks", str(dest), *extra])
    out, err = capsys.readouterr()
    return rc, out, err


def test_notebooks_copy_update_and_refuse(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "a" / "lessons"
    n = len(resources.lesson_notebooks())
    rc, out, _ = _copy(dest, capsys)
    assert rc == 0 and f"{n} copied" in out and "kfunc-explorer lab" in out
    assert sorted(p.name for p in dest.glob("*.ipynb")) == [
        p.name for p in resources.lesson_notebooks()]
    rc, out, _ = _copy(dest, capsys)
    assert rc == 0 and f"{n} unchanged" in out

    # A copy of ours from an older release (recorded, not edited since) is updated silently.
    first = dest / "01-table.ipynb"
    old = b'{"cells": [], "old": true}'
    first.write_bytes(old)
    manifest = json.loads((dest / nc.MANIFEST).read_text())
    manifest["01-table.ipynb"] = nc._sha(old)
    (dest / nc.MANIFEST).write_text(json.dumps(manifest))
    rc, out, _ = _copy(dest, capsys)
    assert rc == 0 and "1 updated" in out
    assert first.read_bytes() == (resources.notebooks_dir() / first.name).read_bytes()

    # The user's edits: refused, nothing written, one line naming the notebook.
    mine = b'{"cells": [], "mine": true}'
    first.write_bytes(mine)
    (dest / "02-sort.ipynb").unlink()
    rc, out, err = _copy(dest, capsys)
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and "01-table.ipynb was changed" in err and "--force" in err
    assert first.read_bytes() == mine and not (dest / "02-sort.ipynb").exists()

    # --force replaces it and keeps the user's version beside it.
    rc, out, _ = _copy(dest, capsys, "--force")
    assert rc == 0 and "01-table.ipynb.bak" in out
    assert (dest / "01-table.ipynb.bak").read_bytes() == mine
    assert (dest / "02-sort.ipynb").exists()


def test_notebooks_into_a_file_is_one_line(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "f"
    f.write_text("x")
    rc, out, err = _copy(f, capsys)
    assert rc == 2 and out == "" and err == f"kfunc-explorer notebooks: {f}: not a directory\n"


def test_lab_without_jupyterlab_says_which_extra(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nc, "jupyterlab_installed", lambda: False)
    assert main(["lab", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "kfunc-explorer[notebook]" in err and err.count("\n") == 1
    assert not (tmp_path / "x").exists()


def test_lab_copies_keeps_changes_and_opens_jupyterlab(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Path, list[str]]] = []
    monkeypatch.setattr(nc, "jupyterlab_installed", lambda: True)
    monkeypatch.setattr(nc, "exec_lab", lambda d, extra: calls.append((d, extra)))
    dest = tmp_path / "lab"
    assert main(["lab", str(dest), "--no-browser"]) == 0
    assert calls == [(dest, ["--no-browser"])]
    (dest / "06-race.ipynb").write_text('{"mine": 1}')
    assert main(["lab", str(dest)]) == 0
    assert "06-race.ipynb: changed by you, kept" in capsys.readouterr().out
    assert (dest / "06-race.ipynb").read_text() == '{"mine": 1}'
    monkeypatch.chdir(tmp_path)
    assert main(["lab"]) == 0
    assert calls[-1][0] == Path(nc.DEFAULT_LAB_DIR)
    assert (tmp_path / nc.DEFAULT_LAB_DIR / "01-table.ipynb").exists()


def test_other_commands_reject_unknown_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["scenarios", "--no-browser"])
    assert e.value.code == 2
