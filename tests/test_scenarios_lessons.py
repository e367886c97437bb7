"""Built-in scenarios and lessons: they load, run, and bad files are reported with a key path."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from explorer.model.constants import BTF_KFUNC_SET_MAX_CNT, BtfKfuncHook, BtfKfuncType
from explorer.model.state import cell_ids, table_of
from explorer.sim import modern
from explorer.sim.errors import InputError
from explorer.sim.lessons import FOCUS, answer, load_lesson_file, load_lessons
from explorer.sim.scenario import (
    THREAD_KINDS,
    builtin_names,
    load_scenario,
    load_scenario_file,
    parse_scenario,
)
from explorer.sim.schedule import parse_schedule
from explorer.sim.session import run
from explorer.sim.variants import FAULTS, VARIANTS, parse_options

NAMES = builtin_names()


def test_the_builtin_scenarios_are_there() -> None:
    assert {"boot_tcp", "e2big", "enomem", "module_init_fails", "module_race", "module_twice",
            "old_api"} <= set(NAMES)
    assert "kfunc_ids" not in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_builtin_scenario_loads_and_runs_to_a_terminal_state(name: str) -> None:
    sc = load_scenario(name)
    assert sc.name == name and sc.title and sc.description
    assert sc.threads and all(t.kind in THREAD_KINDS for t in sc.threads)
    assert len({t.letter for t in sc.threads}) == len(sc.threads)
    for v in sc.variants:
        assert v in VARIANTS
    for f in sc.faults:
        assert f in FAULTS
    combos: list[list[str]] = [[], *([v] for v in sc.variants), *([f] for f in sc.faults)]
    for vs in combos:
        opts = parse_options(vs, list(sc.default_faults))
        r = run(sc, opts)
        assert r.terminal, (name, vs)
        assert set(r.outcome) == {t.name for t in sc.threads}
        assert "BLOCKED" not in r.outcome.values(), (name, vs)
        w = r.final.world
        for h in BtfKfuncHook:
            for t in BtfKfuncType:
                if h == BtfKfuncHook.BTF_KFUNC_HOOK_MAX or t == BtfKfuncType.BTF_KFUNC_TYPE_MAX:
                    continue
                ids = cell_ids(w, "vmlinux", h, t)
                assert ids is None or len(ids) <= BTF_KFUNC_SET_MAX_CNT


def test_boot_tcp_ends_with_25_sorted_ids() -> None:
    r = run(load_scenario("boot_tcp"), parse_options())
    ids = cell_ids(r.final.world, "vmlinux", BtfKfuncHook.BTF_KFUNC_HOOK_STRUCT_OPS,
                   BtfKfuncType.BTF_KFUNC_TYPE_CHECK)
    assert ids is not None and len(ids) == 25 and list(ids) == sorted(ids)
    assert r.outcome == {"boot": "OK", "verifier": "OK"}


def test_e2big_scenario_frees_the_prefilled_table() -> None:
    sc = load_scenario("e2big")
    r = run(sc, parse_options())
    assert r.outcome == {"boot": "E2BIG"}
    assert table_of(r.final.world, "vmlinux") is None


def test_enomem_scenario_default_fault() -> None:
    sc = load_scenario("enomem")
    assert sc.default_faults == ("krealloc_fails:4",)
    r = run(sc, parse_options([], list(sc.default_faults)))
    assert r.outcome["boot"] == "ENOMEM"


# -- parse errors name the file and the key path --------------------------------------------------

GOOD: dict[str, Any] = {
    "name": "ok",
    "sets": [{"name": "s", "owner": "bpf_testmod", "prog_type": "SCHED_CLS",
              "check": ["bpf_testmod_test_mod_kfunc"]}],
    "modules": [{"name": "bpf_testmod", "init": ["s"]}],
    "threads": [{"name": "loader", "letter": "L", "kind": "load_module", "module": "bpf_testmod"},
                {"name": "verifier", "letter": "V", "kind": "bpf_prog_load",
                 "prog_type": "SCHED_CLS", "kfunc": "bpf_testmod_test_mod_kfunc"}],
}


def broken(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    d = copy.deepcopy(GOOD)
    cur: Any = d
    for k in path[:-1]:
        cur = cur[k]
    if value is KeyError:
        del cur[path[-1]]
    else:
        cur[path[-1]] = value
    return d


def test_good_dict_parses() -> None:
    sc = parse_scenario(copy.deepcopy(GOOD), "good.toml")
    assert sc.name == "ok" and [t.letter for t in sc.threads] == ["L", "V"]
    assert run(sc, parse_options()).terminal


@pytest.mark.parametrize(("path", "value", "where", "needle"), [
    (("threads",), KeyError, "threads", "at least one [[threads]]"),
    (("bogus",), 1, "top level", "unknown key 'bogus'"),
    (("name",), "has space", "name", "not a simple name"),
    (("name",), KeyError, "", "missing required key 'name'"),
    (("kernel",), "6.1", "kernel", "unknown kernel '6.1'"),
    (("threads", 0, "kind"), "fork", "threads[0].kind", "unknown kind 'fork'"),
    (("threads", 1, "letter"), "L", "threads[1].letter", "used by another thread"),
    (("threads", 1, "letter"), "M", "threads[1].letter", "other than M"),
    (("threads", 1, "kfunc"), "nope", "threads[1].kfunc", "unknown kfunc 'nope'"),
    (("threads", 1, "prog_type"), "WAT", "threads[1].prog_type", "unknown program type"),
    (("threads", 0, "module"), "other", "threads[0].module", "no module 'other'"),
    (("sets", 0, "check"), ["bpf_kfunc_call_test1"], "sets[0].check", "lives in vmlinux"),
    (("sets", 0, "check"), ["zzz"], "sets[0].check", "unknown kfunc 'zzz'"),
    (("sets", 0, "check"), "bpf_testmod_test_mod_kfunc", "sets[0].check", "list of text"),
    (("sets", 0, "prog_type"), "NOPE", "sets[0].prog_type", "unknown program type"),
    (("modules", 0, "init"), ["t"], "modules[0].init[0]", "no set named 't'"),
    (("modules", 0, "init_error"), "EPERM", "modules[0].init_error", "EPERM"),
    (("variants",), ["fast"], "variants[0]", "unknown variant 'fast'"),
    (("faults",), ["oops"], "faults[0]", "unknown fault 'oops'"),
    (("ids",), {"vmlinux": {"f": 0}}, "ids.vmlinux.f", "1..2^31-1"),
    (("prefill",), ["s"], "prefill[0]", "not a built-in set"),
])
def test_parse_errors_name_file_and_key_path(path: tuple[Any, ...], value: Any, where: str,
                                             needle: str) -> None:
    with pytest.raises(InputError) as ei:
        parse_scenario(broken(path, value), "scenarios/bad.toml")
    msg = str(ei.value)
    assert msg.startswith("scenarios/bad.toml: ")
    if where:
        assert msg.startswith(f"scenarios/bad.toml: {where}: "), msg
    assert needle in msg
    assert "\n" not in msg


def test_scenario_file_errors(tmp_path: Path) -> None:
    f = tmp_path / "syntax.toml"
    f.write_text("name = \n")
    with pytest.raises(InputError, match=rf"^{f}: "):
        load_scenario_file(f)
    f.write_bytes(b"name = \"\xff\"\n")
    with pytest.raises(InputError, match="not UTF-8"):
        load_scenario_file(f)
    with pytest.raises(InputError, match="cannot read"):
        load_scenario_file(tmp_path / "absent.toml")
    with pytest.raises(InputError, match="unknown scenario 'absent'"):
        load_scenario("absent")


# -- lessons -----------------------------------------------------------------------------------


def test_every_lesson_loads_and_every_answer_is_a_choice() -> None:
    lessons = load_lessons()
    assert lessons and [ls.order for ls in lessons] == sorted(ls.order for ls in lessons)
    on_disk = sorted(Path(lessons[0].path).parent.glob("*.toml"))
    assert len(lessons) == len(on_disk)
    asked = 0
    for lesson in lessons:
        assert lesson.title and lesson.pages
        for page in lesson.pages:
            assert page.title and page.text and page.focus in FOCUS
            r = run(modern.load(page.scenario, page.kernel or None), page.options,
                    page.schedule, complete=False)
            if "*" not in page.schedule:  # the page's position is reached exactly
                assert r.schedule == parse_schedule(page.schedule)
            if page.predict is None:
                with pytest.raises(InputError):
                    answer(page)
                continue
            asked += 1
            got = answer(page)
            assert got in page.predict.choices, (lesson.slug, page.title, got)
    assert asked > 0


def test_the_first_lesson_answers() -> None:
    lesson = next(ls for ls in load_lessons() if ls.order == 1)
    answers = [answer(p) for p in lesson.pages if p.predict is not None]
    assert answers[:2] == ["allocated", "25"]


def test_broken_lesson_names_file_and_place(tmp_path: Path) -> None:
    f = tmp_path / "01-broken.toml"
    f.write_text('title = "t"\nscenario = "boot_tcp"\n[[pages]]\ntitle = "p"\ntext = "x"\n'
                 'schedule = "B3Q"\n')
    with pytest.raises(InputError) as ei:
        load_lesson_file(f)
    assert str(ei.value).startswith(f"{f}: pages[0]: ") and "no thread 'Q'" in str(ei.value)
    f.write_text('title = "t"\nscenario = "boot_tcp"\n[[pages]]\ntitle = "p"\ntext = "x"\n'
                 'claims = ["step 0"]\n'
                 '[pages.predict]\nquestion = "?"\nchoices = ["a"]\nkind = "table"\n')
    with pytest.raises(InputError,
                       match=r"pages\[0\] \('p'\)\.predict\.choices: give at least two"):
        load_lesson_file(f)


def test_a_lesson_keeps_its_own_title_not_its_last_pages() -> None:
    lessons = {ls.slug: ls for ls in load_lessons()}
    assert lessons["table"].title == "The hook × type table and on-demand allocation"
    assert lessons["errors"].title == "Error paths and the whole-table free"
    for lesson in lessons.values():
        assert lesson.title != lesson.pages[-1].title, lesson.slug
    assert lessons["table"].pages[-1].title == "One registration, one cell"


def test_a_lesson_list_runs_no_model_and_a_page_is_checked_when_opened(tmp_path: Path) -> None:
    """The picker lists lessons read without the model; a page's claims are checked when it is
    opened (one line naming the file and the page), as they are by a checked load."""
    from explorer.sim.lessons import check_page

    f = tmp_path / "01-wrong.toml"
    f.write_text('title = "t"\nscenario = "boot_tcp"\n[[pages]]\ntitle = "p"\ntext = "x"\n'
                 'claims = ["step 0"]\n[[pages]]\ntitle = "q"\ntext = "y"\n'
                 'schedule = "B3"\nclaims = ["step 99"]\n')
    (lesson,) = load_lessons(tmp_path, check=False)
    assert [p.title for p in lesson.pages] == ["p", "q"]
    check_page(lesson.pages[0], lesson.path, 0)
    with pytest.raises(InputError, match=r"01-wrong\.toml: pages\[1\] \('q'\)\.claims\[0\]"):
        check_page(lesson.pages[1], lesson.path, 1)
    with pytest.raises(InputError, match=r"pages\[1\] \('q'\)\.claims\[0\]"):
        load_lessons(tmp_path)


def test_lesson_file_bad_scenario_names_the_key_that_gave_it(tmp_path: Path) -> None:
    """QA: a top-level `scenario = "nosuch"` was reported at `pages[0].scenario`."""
    f = tmp_path / "bad.toml"
    f.write_text('title = "t"\nscenario = "nosuch"\n[[pages]]\ntitle = "p"\ntext = "x"\n')
    with pytest.raises(InputError, match=rf"^{f}: scenario \(top level\): unknown scenario"):
        load_lesson_file(f, check=False)
    f.write_text('title = "t"\n[[pages]]\ntitle = "p"\ntext = "x"\nscenario = "nosuch"\n')
    with pytest.raises(InputError, match=rf"^{f}: pages\[0\]\.scenario: unknown scenario"):
        load_lesson_file(f, check=False)


def test_scenario_names_are_listed_once_per_directory(tmp_path: Path) -> None:
    """The built-in scenario directories are package data: their names are globbed once a
    process per directory (a lesson listing asked once a page); cache_clear lists them again."""
    from explorer.sim.scenario import toml_stems

    for n in ("b", "a"):
        (tmp_path / f"{n}.toml").write_text("")
    (tmp_path / "notes.md").write_text("")
    assert toml_stems(tmp_path) == ("a", "b")
    (tmp_path / "c.toml").write_text("")
    assert toml_stems(tmp_path) == ("a", "b")
    toml_stems.cache_clear()
    assert toml_stems(tmp_path) == ("a", "b", "c")
    assert toml_stems(tmp_path / "none") == ()
    assert sorted(NAMES) == NAMES and set(modern.modern_names()) <= set(modern.all_names())


LESSON = 'title = "{t}"\norder = {o}\nscenario = "boot_tcp"\n{extra}\n' \
         '[[pages]]\ntitle = "p"\ntext = "x"\nclaims = ["step 0"]\n'


def test_the_lesson_index_reads_only_the_top_level_keys(tmp_path: Path) -> None:
    """Which lesson is first, and how many there are, come from each file's top-level keys: a
    page that does not parse does not stop it; the listing then names the file and place."""
    from explorer.sim.lessons import lesson_index

    (tmp_path / "01-late.toml").write_text(LESSON.format(t="late", o=3, extra=""))
    # a multi-line summary with a line that starts with '[': the cut falls inside the string
    (tmp_path / "02-first.toml").write_text(LESSON.format(
        t="first", o=1, extra='summary = """\n[not a table]\n"""'))
    (tmp_path / "03-broken.toml").write_text(LESSON.format(t="broken", o=2, extra="")
                                             + "text = 'twice'\n")
    assert [(e.slug, e.order) for e in lesson_index(tmp_path)] == \
        [("first", 1), ("broken", 2), ("late", 3)]
    with pytest.raises(InputError, match=r"03-broken\.toml: Cannot overwrite a value"):
        load_lessons(tmp_path, check=False)
    (tmp_path / "03-broken.toml").write_text('title = "t"\norder = "2"\n')
    with pytest.raises(InputError, match=r"^\S*03-broken\.toml: order: expected a whole number"):
        lesson_index(tmp_path)
    (tmp_path / "03-broken.toml").write_text('title = "t\norder = 2\n[[pages]]\n')
    with pytest.raises(InputError, match=r"^\S*03-broken\.toml: .*line 1"):
        lesson_index(tmp_path)
    ordered = [ls.slug for ls in load_lessons(check=False)]
    assert [e.slug for e in lesson_index()] == ordered


def test_a_newcomer_reads_lesson_1_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A newcomer's start reads lesson 1 (a broken later lesson does not stop it); the
    picker's listing then gives that lesson's one-line error, naming the file and place."""
    import explorer.sim.lessons as sl
    from explorer.views.controller import Controller
    from explorer.views.lesson_answers import AnswerStore

    monkeypatch.setattr(sl, "LESSON_DIR", tmp_path)
    (tmp_path / "01-one.toml").write_text(LESSON.format(t="one", o=1, extra=""))
    (tmp_path / "02-two.toml").write_text(LESSON.format(t="two", o=2, extra="")
                                          + 'focus = "nowhere"\n')
    c = Controller("boot_tcp", answers=AnswerStore(tmp_path / "answers.json"))
    start = c.where_to_start()
    assert start is not None and start.title == "one"
    c.open_lesson(start.slug)
    assert (c.lesson_number, c.lesson_count) == (1, 2)
    with pytest.raises(InputError, match=r"02-two\.toml: pages\[0\]\.focus: 'nowhere'"):
        c.lessons()
    with pytest.raises(InputError, match=r"02-two\.toml: pages\[0\]\.focus"):
        c.open_lesson("two")
    assert c.lesson is start


def test_a_pages_reveal_is_run_once() -> None:
    """The answer, the claims at the reveal and the reveal a front opens are one run."""
    from explorer.sim.lessons import reveal

    page = next(p for p in load_lessons(check=False)[0].pages if p.predict is not None)
    assert reveal(page) is reveal(page)
    assert page.predict is not None and answer(page) == page.predict.answer


def test_the_welcome_scenario_is_built_once_for_lesson_1() -> None:
    """A newcomer's explorer starts on boot_tcp, lesson 1's first page: opening the page keeps
    that untouched start instead of building it again; a stepped one is started afresh."""
    from explorer.views.controller import Controller
    from explorer.views.lesson_answers import AnswerStore

    c = Controller("boot_tcp", answers=AnswerStore(persist=False))
    start = c.session
    c.open_lesson("table")
    assert c.session is start and c.page_index == 0
    c.step_auto()
    c.load("boot_tcp")
    assert c.session is not start and c.session.length == 0
