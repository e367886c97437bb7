"""Installed like any Python tool: build the wheel, install it into a fresh venv outside the
repository, and use it there as a workshop attendee would.

The venv has no pip of its own and no access to the clone: this interpreter's pip installs into it
(``pip --python``), offline from a wheelhouse (``--no-index --find-links``). The wheelhouse lives
outside the repository (``$KX_WHEELHOUSE``, default ``~/.cache/kfunc-explorer/wheelhouse``) and is
filled from the package index (through pip's cache) only when a wheel is missing; where the index
is unreachable too, the tests skip and say so.

Order: the base install (TUI + CLI) is used first; the notebook test then adds the ``notebook``
extra to the same venv.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
WHEELHOUSE = Path(os.environ.get("KX_WHEELHOUSE")
                  or Path.home() / ".cache" / "kfunc-explorer" / "wheelhouse")
PIP_TIMEOUT = 600

pytestmark = pytest.mark.slow


def _lite_build() -> ModuleType:
    """lite/build.py (a script, not a package), for its list of what goes into the wheel."""
    spec = importlib.util.spec_from_file_location("kx_lite_build", ROOT / "lite" / "build.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@dataclass
class Installed:
    venv: Path
    wheel: Path
    work: Path
    """A directory outside the repository to run things in."""

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def exe(self) -> Path:
        return self.venv / "bin" / "kfunc-explorer"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env.update(extra)
        return env

    def run(self, *argv: str, timeout: float = 120,
            **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.exe), *argv], cwd=self.work, env=self.env(**env),
                              capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True, timeout=PIP_TIMEOUT)


def _last_line(p: subprocess.CompletedProcess[str]) -> str:
    lines = [ln for ln in (p.stderr or p.stdout).splitlines() if ln.strip()]
    return lines[-1] if lines else f"exit status {p.returncode}"


def _install(python: Path, wheel: Path, requirement: str) -> None:
    """Install ``requirement`` offline from the wheelhouse; fill the wheelhouse first if needed."""
    offline = ["--python", str(python), "install", "--no-compile", "--no-index",
               "--find-links", str(wheel.parent), "--find-links", str(WHEELHOUSE), requirement]
    p = _pip(*offline)
    if p.returncode == 0:
        return
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    d = _pip("download", "--only-binary=:all:", "--find-links", str(wheel.parent), "-d",
             str(WHEELHOUSE), requirement)
    if d.returncode != 0:
        pytest.skip(f"the wheelhouse {WHEELHOUSE} lacks wheels for {requirement} and the package "
                    f"index is unreachable: {_last_line(d)}")
    p = _pip(*offline)
    assert p.returncode == 0, p.stderr[-3000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    _lite_build().copy_sources(src)  # build from a copy: the clone stays untouched
    dist = base / "dist"
    b = _pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(src))
    assert b.returncode == 0, b.stderr[-3000:]
    (wheel,) = dist.glob("kfunc_explorer-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    work = base / "work"
    work.mkdir()
    inst = Installed(venv, wheel, work)
    _install(inst.python, wheel, str(wheel))
    yield inst


def test_wheel_carries_the_data_and_keeps_notebook_deps_in_the_extra(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as z:
        names = set(z.namelist())
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(z.read(meta_name).decode())
    for d, ext in (("lessons", ".toml"), ("notebooks", ".ipynb")):
        want = {f"explorer/_data/{d}/{p.name}" for p in (ROOT / d).glob(f"[0-9][0-9]-*{ext}")}
        assert want and want <= names, f"{d} missing from the wheel"
    scen = {f"explorer/scenarios/{p.name}" for p in (ROOT / "explorer/scenarios").glob("*.toml")}
    scen |= {f"explorer/scenarios/v6_17/{p.name}"
             for p in (ROOT / "explorer/scenarios/v6_17").glob("*.toml")}
    assert scen <= names
    chal = {f"explorer/scenarios/challenges/{p.name}"
            for p in (ROOT / "explorer/scenarios/challenges").glob("*.toml")}
    assert chal and chal <= names, "challenges missing from the wheel"
    assert "explorer/tui/app.tcss" in names
    requires = meta.get_all("Requires-Dist") or []
    base = [r for r in requires if "extra ==" not in r]
    for dep in ("ipywidgets", "graphviz", "markdown-it-py", "jupyterlab"):
        assert not any(r.startswith(dep) for r in base), f"{dep} in the base install"
        assert any(r.startswith(dep) and 'extra == "notebook"' in r for r in requires), dep
    assert any(r.startswith("textual") for r in base)


def test_version(installed: Installed) -> None:
    p = installed.run("--version")
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "kfunc-explorer 0.1.0"


def test_lessons_come_from_the_installed_package(installed: Installed) -> None:
    p = installed.run("lessons", "--json")
    assert p.returncode == 0, p.stderr
    rep = json.loads(p.stdout)
    assert rep["lessons_dir"].startswith(str(installed.venv)), rep["lessons_dir"]
    n = len(list((ROOT / "lessons").glob("[0-9][0-9]-*.toml")))
    assert [ls["number"] for ls in rep["lessons"]] == list(range(1, n + 1))
    assert all(ls["notebook"] and ls["pages"] > 0 for ls in rep["lessons"])
    text = installed.run("lessons")
    assert text.returncode == 0 and "race" in text.stdout


def test_run_boot_tcp(installed: Installed) -> None:
    p = installed.run("run", "boot_tcp")
    assert p.returncode == 0, p.stderr
    assert "register_btf_kfunc_id_set" in p.stdout and "OK" in p.stdout
    bad = installed.run("run", "no_such_scenario")
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1


def test_tui_paints_without_the_notebook_stack(installed: Installed) -> None:
    script = textwrap.dedent("""
        import sys
        from explorer.cli import main
        rc = main(["tui", "--lesson", "race"])
        loaded = [m for m in ("ipywidgets", "graphviz", "IPython", "jupyterlab")
                  if m in sys.modules]
        print("exit", rc, "loaded", loaded)
        sys.exit(rc or (3 if loaded else 0))
    """)
    p = subprocess.run([str(installed.python), "-c", script], cwd=installed.work,
                       env=installed.env(TEXTUAL_HEADLESS="1", KFUNC_TUI_EXIT_AFTER_PAINT="1"),
                       capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "exit 0 loaded []" in p.stdout


def test_a_copied_notebook_runs_against_the_installed_package(
        installed: Installed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    _install(installed.python, installed.wheel, f"{installed.wheel}[notebook]")
    dest = installed.work / "my-lessons"
    p = installed.run("notebooks", str(dest))
    assert p.returncode == 0, p.stderr
    n = len(list((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")))
    assert f"{n} copied" in p.stdout and "kfunc-explorer lab" in p.stdout
    again = installed.run("notebooks", str(dest))
    assert again.returncode == 0 and f"{n} unchanged" in again.stdout

    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(installed.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.delenv("PYTHONPATH", raising=False)
    path = dest / "06-race.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import explorer\nprint(explorer.__file__)"))
    client = nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(dest)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    where = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert str(installed.venv) in where, f"explorer imported from {where!r}"
    widgets = sum(1 for o in outputs if "application/vnd.jupyter.widget-view+json"
                  in o.get("data", {}))
    assert widgets >= 2


def test_lab_opens_jupyterlab_on_the_copied_notebooks(installed: Installed,
                                                      tmp_path: Path) -> None:
    """``kfunc-explorer lab DIR`` with the notebook extra: JupyterLab serves DIR's notebooks."""
    import secrets
    import signal
    import socket
    import time
    import urllib.request

    _install(installed.python, installed.wheel, f"{installed.wheel}[notebook]")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    token = secrets.token_hex(16)
    dest = installed.work / "lab-lessons"
    root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    log = (tmp_path / "lab.log").open("wb")
    proc = subprocess.Popen(
        [str(installed.exe), "lab", str(dest), "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", *root],
        cwd=installed.work, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env=installed.env(JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
                          JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
                          JUPYTER_DATA_DIR=str(tmp_path / "data")))
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (tmp_path / "lab.log").read_text()[-2000:]
            try:
                url = f"http://127.0.0.1:{port}/api/contents?token={token}"
                with urllib.request.urlopen(url, timeout=2) as r:
                    listing = json.loads(r.read())
                break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not answer within 90 s"
                time.sleep(0.5)
        names = {c["name"] for c in listing["content"]}
        assert {"01-table.ipynb", "06-race.ipynb"} <= names, names
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        log.close()
