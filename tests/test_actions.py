"""The ACTIONS table and the user keymap: one list of keys for bindings, help, palette and the
notebook; thread keys from the scenario; a bad keymap is one warning line."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from explorer.tui.app import ExplorerApp
from explorer.tui.keymap import keymap_path, load_keymap, parse_keymap
from explorer.views.actions import (
    ACTION_BY_ID,
    ACTIONS,
    all_thread_actions,
    buttons,
    human_key,
    human_keys,
    shadowed,
    thread_actions,
    thread_ids,
)
from explorer.views.snapshot import ThreadKey
from tests.conftest import drive

KNOWN = {*ACTION_BY_ID, *thread_ids()}


def test_every_row_has_a_unique_id_key_and_description() -> None:
    ids = [a.id for a in (*ACTIONS, *all_thread_actions())]
    assert len(ids) == len(set(ids))
    for a in ACTIONS:
        assert a.key and a.description and a.action, a
    keys = [k for a in ACTIONS for k in a.key.split(",")]
    assert len(keys) == len(set(keys)), "two fixed actions share a default key"


def test_key_names_are_what_people_type() -> None:
    assert human_key("question_mark") == "?"
    assert human_key("full_stop") == "."
    assert human_key("left_square_bracket") == "["
    assert human_key("ctrl+k") == "Ctrl+K"
    assert human_key("f1") == "F1"
    assert human_keys("left,pageup") == "← / PgUp"
    assert ACTION_BY_ID["help"].key_name == "? / F1"
    assert ACTION_BY_ID["forward"].key_name == "."
    for a in ACTIONS:
        assert "_" not in a.key_name, a.key_name


def test_thread_keys_come_from_the_scenario() -> None:
    w = ThreadKey("W", "worker", True)
    acts = {a.id: a for a in thread_actions([ThreadKey("L", "loader", True), w])}
    assert acts["step_W"].key == "w" and acts["step_over_W"].key == "W"
    assert acts["step_W"].description == "step W (worker)"
    assert set(acts) == {"step_L", "step_W", "step_over_L", "step_over_W"}
    # the thread W wins over the what-if key w; a keymap can give what-if another key
    assert shadowed([w]) == {"whatif"}
    assert shadowed([w], {"whatif": "ctrl+w"}) == frozenset()
    assert shadowed([ThreadKey("L", "loader", True)]) == frozenset()


def test_notebook_buttons_are_rows_with_intents() -> None:
    for a in buttons():
        assert a.button and a.intent is not None


def test_keymap_file_in_the_xdg_config_dir(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert keymap_path() == tmp_path / "kfunc-explorer" / "keymap.toml"
    assert load_keymap(KNOWN) == ({}, "")  # no file: no keymap, no warning
    keymap_path().parent.mkdir(parents=True)
    keymap_path().write_text('back = "h"\nforward = "l, ."\n[keymap]\nhelp = "?"\n')
    km, warning = load_keymap(KNOWN)
    assert warning == ""
    assert km == {"back": "h", "forward": "l,full_stop", "help": "question_mark"}


def test_a_bad_keymap_is_one_line_naming_the_file_and_place() -> None:
    km, w = parse_keymap('back = "h"\nbogus = "z"\n', "/k.toml", KNOWN)
    assert km == {"back": "h"}
    assert w.startswith("/k.toml: bogus: unknown action id") and "\n" not in w
    # the ids it lists fit a few lines: thread keys once, as a pattern, and a near miss named
    assert "step_<LETTER>" in w and "step_over_<LETTER>" in w and "step_Q" not in w
    assert len(w) < 500, len(w)
    _, w = parse_keymap('whatiff = "z"\n', "/k.toml", KNOWN)
    assert "did you mean whatif?" in w
    km, w = parse_keymap("back = 3\n", "/k.toml", KNOWN)
    assert km == {} and w.startswith("/k.toml: back: expected a key")
    km, w = parse_keymap('back = "ctrl+"\n', "/k.toml", KNOWN)
    assert km == {} and w.startswith("/k.toml: back: 'ctrl+' is not a key")
    km, w = parse_keymap("back = [", "/k.toml", KNOWN)
    assert km == {} and w.startswith("/k.toml: ") and "\n" not in w
    km, w = parse_keymap('x = "1"\ny = "2"\nback = "ctrl+"\nforward = 3\n', "/k.toml", KNOWN)
    # every bad line is named (the rest were '(and 3 more)', shown nowhere); the ids listed once
    assert w.startswith("/k.toml: x: unknown action id; y: unknown action id; back: 'ctrl+' is "
                        "not a key") and "; forward: expected a key" in w, w
    assert w.count("(ids: ") == 1 and "\n" not in w and len(w) < 600, w
    km, w = parse_keymap('keymap = "h"\n', "/k.toml", KNOWN)
    assert w.startswith("/k.toml: keymap: expected a table")


def test_an_unreadable_keymap_is_one_line(tmp_path: Path) -> None:
    p = tmp_path / "keymap.toml"
    p.write_bytes(b"back = \"\xff\"\n")
    km, w = load_keymap(KNOWN, p)
    assert km == {} and w == f"{p}: byte 8: not UTF-8 text"
    p.unlink()
    p.mkdir()
    km, w = load_keymap(KNOWN, p)
    assert km == {} and w.startswith(f"{p}: cannot read")


# -- the TUI reads the table ------------------------------------------------------------------

def _thread_w_scenario(tmp_path: Path) -> str:
    """module_race with its loader thread lettered W (a letter no fixed list had)."""
    from explorer.sim.scenario import SCENARIO_DIR

    text = (SCENARIO_DIR / "module_race.toml").read_text()
    assert 'letter = "L"' in text
    p = tmp_path / "race_w.toml"
    p.write_text(text.replace('letter = "L"', 'letter = "W"'))
    return str(p)


def test_a_thread_w_is_stepped_by_w_and_what_if_moves_to_the_palette(tmp_path: Path) -> None:

    from explorer.tui.screens.help import HelpScreen


    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = app.main_screen
        assert [t.letter for t in m.snap.threads] == ["W", "V"]
        await pilot.press("w", "w")
        assert m.snap.schedule == "W2"
        await pilot.press("W")
        assert m.snap.step > 2 and set(m.snap.schedule) <= set("W0123456789")
        assert app.screen is m  # w stepped the thread, it opened no what-if screen
        rows = m.help_rows()
        assert ("stepping", "w", "step W (loader)") in rows
        assert ("open / switch", "palette (its key steps a thread)",
                "what-ifs (NOT the kernel) and faults") in rows
        assert not any(r[2].startswith("step L") for r in rows)  # only this scenario's threads
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)

    drive(body, scenario=_thread_w_scenario(tmp_path))


def test_the_user_keymap_rebinds_by_id_and_a_bad_line_is_one_warning(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    from explorer.tui.widgets.error_bar import ErrorBar


    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    keymap_path().parent.mkdir(parents=True)
    keymap_path().write_text('back = "b"\nforward = "ctrl+f"\nnope = "z"\n')

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = app.main_screen
        warning = m.query_one(ErrorBar).message
        assert warning.startswith(f"{keymap_path()}: nope: unknown action id")
        await pilot.press("l", "l", "l")
        await pilot.press("b")
        assert m.snap.step == 2
        await pilot.press("comma")  # the old key is free now
        assert m.snap.step == 2
        await pilot.press("ctrl+f")
        assert m.snap.step == 3
        assert ("time travel", "b", "back one step") in m.help_rows()

    drive(body)


def test_the_palette_lists_every_action_and_the_kernel_versions() -> None:

    from explorer.tui.commands import ExplorerCommands


    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        provider = ExplorerCommands(app.screen)
        texts = [t for t, _cb, _help in provider._commands()]
        for a in ACTIONS:
            if a.palette:
                assert a.description[:1].upper() + a.description[1:] in texts, a.id
        assert any(t.startswith("Kernel: linux 5.18") for t in texts)
        assert any(t.startswith("The same table, years later") for t in texts)
        assert any(t.startswith("Choose the kernel version") for t in texts)

    drive(body)


def test_every_tui_binding_has_an_id_from_the_table() -> None:
    from textual.binding import Binding

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = app.main_screen
        screen_ids = {b.id for bs in m._bindings.key_to_bindings.values() for b in bs}
        app_ids = {b.id for bs in app._bindings.key_to_bindings.values() for b in bs
                   if isinstance(b, Binding) and b.action in {a.action for a in ACTIONS}}
        assert None not in screen_ids
        assert screen_ids == {*(a.id for a in ACTIONS if not a.app_wide),
                              "step_L", "step_V", "step_over_L", "step_over_V"}
        assert app_ids == {a.id for a in ACTIONS if a.app_wide}

    drive(body, scenario="module_race")
