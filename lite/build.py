"""Build the lessons as a static JupyterLite site: ``./dev.sh lite`` runs this in its tool venv.

    python lite/build.py [--out build/lite] [--work build/lite-work]

The site runs the lesson notebooks entirely in the browser (Pyodide, Python 3.14) with no network
beyond the server it is served from. Every downloaded piece is pinned in ``lite/pins.toml``
(version and sha256) and checked; downloads are cached in the work directory, so a rebuild is
offline. Pieces:

* the Pyodide runtime (npm ``pyodide``), whose lock file gets the pure-Python wheels the kernel
  loads (from PyPI, re-hashed: PyPI's builds differ from Pyodide's) and entries for our wheel and
  what it needs (ipywidgets, comm, markdown-it-py, mdurl);
* ``kfunc-explorer-viz``: a small wheel built here around ``@viz-js/viz`` (npm), Graphviz compiled
  to WebAssembly, which :mod:`explorer.notebook.browser_graphviz` loads to draw the diagrams;
* our own wheel, built from this checkout: the same lessons and notebooks as every other front;
* the notebooks themselves, copied unchanged from ``notebooks/``.

The kernel preloads ``kfunc-explorer`` (``loadPyodideOptions.packages``), so the notebooks run
unchanged, and PyPI fallback is off. A missing piece stops the build with one line naming it.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PINS = ROOT / "lite" / "pins.toml"
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "explorer", "lessons",
           "notebooks", "challenges")
OUR_DEPENDS = ["ipywidgets", "markdown-it-py", "kfunc-explorer-viz"]
PRELOAD = ["kfunc-explorer"]
VIZ_NAME = "kfunc-explorer-viz"
VIZ_MODULE = "kfunc_explorer_viz"


class Missing(Exception):
    """A piece of the site could not be had: the message is the one line the user sees.

    ``download``: the piece was to come from a registry (or a tool to fetch it is missing), so a
    machine without that registry cannot build the site at all (exit status 3, not 1)."""

    def __init__(self, message: str, download: bool = False) -> None:
        super().__init__(message)
        self.download = download


def say(msg: str) -> None:
    print(f"[lite] {msg}", file=sys.stderr, flush=True)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def canon(name: str) -> str:
    """A package name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def check(path: Path, want: str, what: str) -> None:
    got = sha256(path)
    if got != want:
        raise Missing(f"{what}: {path.name} has sha256 {got}, lite/pins.toml pins {want} "
                      "(delete it to download again)")


def run(cmd: list[str], what: str, cwd: Path | None = None, timeout: float = 600,
        download: bool = False) -> str:
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        raise Missing(f"{what}: {cmd[0]} is not installed", download=True) from None
    except subprocess.TimeoutExpired:
        raise Missing(f"{what}: {' '.join(cmd[:3])} … took over {timeout:.0f} s",
                      download) from None
    if p.returncode != 0:
        lines = [ln for ln in (p.stderr + p.stdout).splitlines()
                 if ln.strip() and "Location 'file:" not in ln]
        raise Missing(f"{what}: {lines[-1] if lines else f'exit status {p.returncode}'}",
                      download)
    return p.stdout


# -- downloads ---------------------------------------------------------------------------------


def npm_package(name: str, pin: dict[str, Any], cache: Path) -> Path:
    """The pinned npm tarball, from the cache or ``npm pack``; checked against its sha256."""
    version = pin["version"]
    tgz = cache / f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"
    if not tgz.exists():
        say(f"npm: {name}@{version}")
        cache.mkdir(parents=True, exist_ok=True)
        out = run(["npm", "pack", "--silent", f"{name}@{version}"], f"npm {name}@{version}",
                  cwd=cache, download=True)
        packed = cache / out.strip().splitlines()[-1]
        if packed != tgz:
            packed.rename(tgz)
    check(tgz, pin["sha256"], f"npm {name}@{version}")
    return tgz


def wheels(pins: dict[str, dict[str, Any]], cache: Path) -> dict[str, Path]:
    """The pinned Pyodide-side wheels, from the cache or PyPI (hash-checked by pip and by us)."""
    cache.mkdir(parents=True, exist_ok=True)
    have = {p.name: p for p in cache.glob("*.whl")}

    def find(name: str, version: str) -> Path | None:
        stem = name.replace("-", "_").lower()
        for fname, p in have.items():
            parts = fname.split("-")
            if parts[0].lower() == stem and parts[1] == version:
                return p
        return None

    need = [n for n, pin in pins.items() if find(n, pin["version"]) is None]
    if need:
        say(f"PyPI: {len(need)} wheels for Python 3.14 ({', '.join(need)})")
        req = cache / "requirements.txt"
        req.write_text("".join(f"{n}=={pins[n]['version']} --hash=sha256:{pins[n]['sha256']}\n"
                               for n in need))
        run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q",
             "--no-deps", "--only-binary=:all:", "--python-version", "3.14",
             "--implementation", "py", "--require-hashes", "-r", str(req), "-d", str(cache)],
            "PyPI wheels for Pyodide", download=True)
        have = {p.name: p for p in cache.glob("*.whl")}
    out = {}
    for n, pin in pins.items():
        p = find(n, pin["version"])
        if p is None:
            raise Missing(f"PyPI {n}=={pin['version']}: no wheel downloaded")
        check(p, pin["sha256"], f"PyPI {n}=={pin['version']}")
        out[n] = p
    return out


# -- wheels built here -------------------------------------------------------------------------


def copy_sources(src: Path) -> None:
    """Copy what kfunc-explorer's wheel is built from into ``src`` (a new folder), so that the
    build leaves this checkout untouched (no build/, no egg-info). The wheel test uses it too."""
    src.mkdir(parents=True)
    for name in SOURCES:
        p = ROOT / name
        if p.is_dir():
            shutil.copytree(p, src / name,
                            ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        elif p.exists():
            shutil.copy2(p, src / name)


def our_wheel(work: Path) -> Path:
    """kfunc-explorer's wheel, built from a copy of this checkout (the clone stays untouched)."""
    src, dist = work / "src", work / "dist"
    for d in (src, dist):
        shutil.rmtree(d, ignore_errors=True)
    copy_sources(src)
    run([sys.executable, "-m", "pip", "wheel", "--disable-pip-version-check", "-q", "--no-deps",
         "--no-build-isolation", "-w", str(dist), str(src)], "kfunc-explorer's wheel")
    (whl,) = dist.glob("kfunc_explorer-*.whl")
    return whl


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def viz_wheel(tgz: Path, version: str, out: Path) -> Path:
    """A pure-Python wheel that carries @viz-js/viz's ESM build (Graphviz in WebAssembly)."""
    with tarfile.open(tgz) as t:
        member = t.extractfile("package/dist/viz.js")
        if member is None:
            raise Missing(f"npm @viz-js/viz@{version}: no dist/viz.js in the package")
        js = member.read()
    init = (f'"""@viz-js/viz {version} (MIT; Graphviz, EPL-1.0) for kfunc-explorer\'s notebooks '
            'in the browser."""\n\n'
            f'VERSION = "{version}"\nESM = "viz.js"\n').encode()
    dist_info = f"{VIZ_MODULE}-{version}.dist-info"
    files = {
        f"{VIZ_MODULE}/__init__.py": init,
        f"{VIZ_MODULE}/viz.js": js,
        f"{dist_info}/METADATA": (f"Metadata-Version: 2.1\nName: {VIZ_NAME}\nVersion: {version}\n"
                                  "Summary: @viz-js/viz (Graphviz in WebAssembly) as package "
                                  "data, for kfunc-explorer in Pyodide\nLicense: MIT AND "
                                  "EPL-1.0\n").encode(),
        f"{dist_info}/WHEEL": (b"Wheel-Version: 1.0\nGenerator: kfunc-explorer lite/build.py\n"
                               b"Root-Is-Purelib: true\nTag: py3-none-any\n"),
        f"{dist_info}/top_level.txt": f"{VIZ_MODULE}\n".encode(),
    }
    record = [_record_line(n, d) for n, d in files.items()] + [f"{dist_info}/RECORD,,"]
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    whl = out / f"{VIZ_MODULE}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(whl, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in files.items():
            info = zipfile.ZipInfo(n, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, d)
    return whl


# -- the site ----------------------------------------------------------------------------------


def _lock_entry(name: str, version: str, whl: Path, imports: list[str],
                depends: list[str]) -> dict[str, Any]:
    return {"name": name, "version": version, "file_name": whl.name, "install_dir": "site",
            "package_type": "package", "imports": imports, "depends": depends,
            "sha256": sha256(whl), "unvendored_tests": False}


def pyodide_dir(site: Path, pyodide_tgz: Path, pin: dict[str, Any], pywheels: dict[str, Path],
                pins: dict[str, dict[str, Any]], ours: Path, viz: Path, viz_version: str) -> None:
    """``<lite dir>/static/pyodide``: the runtime, the wheels, and a lock file that lists them."""
    dest = site / "static" / "pyodide"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    with tarfile.open(pyodide_tgz) as t:
        for name in pin["files"]:
            member = t.extractfile(f"package/{name}")
            if member is None:
                raise Missing(f"npm pyodide@{pin['version']}: no {name} in the package")
            (dest / name).write_bytes(member.read())
    lock = json.loads((dest / "pyodide-lock.json").read_text())
    packages = lock["packages"]
    key = {canon(k): k for k in packages}
    for name, whl in pywheels.items():
        shutil.copy2(whl, dest / whl.name)
        p = pins[name]
        if p.get("locked"):
            entry = packages.get(key.get(canon(name), name))
            if entry is None or entry["version"] != p["version"]:
                found = entry["version"] if entry else "nothing"
                raise Missing(f"pyodide-lock.json: {name} {p['version']} pinned, the lock has "
                              f"{found}")
            entry["file_name"] = whl.name
            entry["sha256"] = sha256(whl)
        else:
            packages[name] = _lock_entry(name, p["version"], whl, p["imports"], p["depends"])
    for whl in (ours, viz):
        shutil.copy2(whl, dest / whl.name)
    packages[VIZ_NAME] = _lock_entry(VIZ_NAME, viz_version, dest / viz.name, [VIZ_MODULE], [])
    version = ours.name.split("-")[1]
    packages["kfunc-explorer"] = _lock_entry("kfunc-explorer", version, dest / ours.name,
                                             ["explorer"], OUR_DEPENDS)
    # Everything the kernel will load must be here: walk the dependencies from what it loads.
    todo, seen = ["micropip", *PRELOAD, "ipython", "jedi", "packaging"], set()
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        entry = packages.get(key.get(canon(n), n))
        if entry is None or not (dest / entry["file_name"]).exists():
            raise Missing(f"Pyodide package {n}: not in lite/pins.toml (needed at kernel start)")
        todo.extend(entry["depends"])
    (dest / "pyodide-lock.json").write_text(json.dumps(lock, separators=(",", ":")))


def lite_config() -> dict[str, Any]:
    kernel = {"disablePyPIFallback": True, "loadPyodideOptions": {"packages": PRELOAD}}
    return {"jupyter-lite-schema-version": 0, "jupyter-config-data": {
        "appName": "kfunc-explorer lessons",
        "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": kernel}}}


def build(out: Path, work: Path) -> None:
    t0 = time.perf_counter()
    pins = tomllib.loads(PINS.read_text())
    cache = work / "cache"
    pyodide_pin, viz_pin = pins["npm"]["pyodide"], pins["npm"]["@viz-js/viz"]
    pyodide_tgz = npm_package("pyodide", pyodide_pin, cache / "npm")
    viz_tgz = npm_package("@viz-js/viz", viz_pin, cache / "npm")
    pywheels = wheels(pins["wheels"], cache / "wheels")
    say("building kfunc-explorer's wheel")
    ours = our_wheel(work)
    viz = viz_wheel(viz_tgz, viz_pin["version"], work / "dist")
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    (site / "files").mkdir(parents=True)
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        shutil.copy2(nb, site / "files" / nb.name)
    pyodide_dir(site, pyodide_tgz, pyodide_pin, pywheels, pins["wheels"], ours, viz,
                viz_pin["version"])
    (site / "jupyter-lite.json").write_text(json.dumps(lite_config(), indent=1))
    say("jupyter lite build")
    shutil.rmtree(out, ignore_errors=True)
    env_bin = Path(sys.executable).parent
    jupyter = env_bin / "jupyter"
    run([str(jupyter if jupyter.exists() else "jupyter"), "lite", "build", "--lite-dir",
         str(site), "--output-dir", str(out), "--no-sourcemaps", "--no-unused-shared-packages"],
        "jupyter lite build", cwd=site)
    icon = out / "lab" / "favicon.ico"
    if icon.is_file() and not (out / "favicon.ico").exists():  # browsers ask the root for one
        shutil.copy2(icon, out / "favicon.ico")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    say(f"built {out} ({size / 1e6:.0f} MB) in {time.perf_counter() - t0:.0f} s; serve it with "
        "./dev.sh lite-serve")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "lite")
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "lite-work")
    args = ap.parse_args()
    os.environ.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    try:
        build(args.out.resolve(), args.work.resolve())
    except Missing as e:
        print(f"./dev.sh lite: {e}", file=sys.stderr)
        return 3 if e.download else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
