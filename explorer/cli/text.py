"""Human-readable printing of the CLI's reports."""

from __future__ import annotations

from typing import Any


def print_lessons(rep: dict[str, Any]) -> None:
    for ls in rep["lessons"]:
        more = len(ls["scenarios"]) - 1
        scen = ls["scenario"] + (f" (+{more} more)" if more > 0 else "")
        pages = f"{ls['pages']} page" + ("s" if ls["pages"] != 1 else "")
        print(f"{ls['number']:>2}  {ls['slug']:<10} {ls['title']}")
        print(f"{'':<14} {pages}; scenario {scen}"
              + (f"; notebook {ls['notebook']}" if ls["notebook"] else "; no notebook"))
        print(f"{'':<14} {ls['claims']} claims and {ls['predictions']} predictions: all hold "
              "in the model")
    print()
    print(f"Lesson source: {rep['lessons_dir']}")
    print("Open one in the TUI: kfunc-explorer tui --lesson SLUG (or press t); copy the notebooks: "
          "kfunc-explorer notebooks DIR")


def print_scenarios(rep: dict[str, Any]) -> None:
    for s in rep["scenarios"]:
        threads = ", ".join(f"{t['letter']}={t['name']}" for t in s["threads"])
        print(f"{s['name']:<18} {s['title']}")
        vs = s.get("versions", [s["kernel"]])
        print(f"{'':<18} threads: {threads}   (Linux {s['snapshot']}"
              + (f"; kernel {', '.join(vs)}; --kernel picks one, default {vs[0]})"
                 if len(vs) > 1 else ")"))
        extra = []
        if s["variants"]:
            extra.append("what-ifs: " + ", ".join(s["variants"]))
        if s["faults"]:
            extra.append("faults: " + ", ".join(s["faults"]))
        if extra:
            print(f"{'':<18} " + "; ".join(extra))
    mine = rep["my_kernel"]
    if mine["available"]:
        threads = ", ".join(f"{t['letter']}={t['name']}" for t in mine["threads"])
        print(f"{'my_kernel':<18} {mine['title']}")
        print(f"{'':<18} threads: {threads}; " + "; ".join(mine["notes"]))
        print(f"{'':<18} (kernel {', '.join(mine.get('versions', []))}; --kernel picks one)")
    else:
        print(f"{'my_kernel':<18} unavailable here: {mine['description']}")
    print()
    print("What-if variants (NOT the kernel):")
    for name, v in rep["variants"].items():
        print(f"  {name:<16} {v['title']}")
    print("Faults (the kernel's own error paths):")
    for name, f in rep["faults"].items():
        print(f"  {name:<16} {f['title']}")


def _table(name: str, tab: dict[str, Any] | None) -> None:
    if tab is None:
        print(f"  {name}->kfunc_set_tab = NULL")
        return
    print(f"  {name}->kfunc_set_tab = {tab['addr']}")
    if "sets" in tab:  # a modern table: one set8 a hook, flags next to each ID
        for hook, cell in tab["sets"].items():
            flt = tab["filters"].get(hook)
            if cell is None:
                if flt:
                    print(f"    [{hook}] NULL; filters: {', '.join(flt)}")
                continue
            if cell.get("cnt") is None:
                print(f"    [{hook}] -> {cell['addr']} (freed)")
                continue
            ids = " ".join(f"{i}" + (f"({'|'.join(cell['flags'][str(i)])})"
                                     if str(i) in cell["flags"] else "") for i in cell["ids"])
            print(f"    [{hook}] -> {cell['addr']} set8 cnt {cell['cnt']}/{tab['max_cnt']}: {ids}")
            if flt:
                print(f"      filters: {', '.join(flt)}")
        return
    for hook, row in tab["cells"].items():
        for type_, cell in row.items():
            if cell is None:
                continue
            if cell.get("cnt") is None:
                print(f"    [{hook}][{type_}] -> {cell['addr']} (freed)")
                continue
            where = "module memory" if cell["region"] == "module" else "kmalloc"
            ids = " ".join(str(i) for i in cell["ids"])
            fill = f"{cell['cnt']}/{tab['max_cnt']}"
            print(f"    [{hook}][{type_}] -> {cell['addr']} ({where}) cnt {fill}: {ids}")


def print_run(rep: dict[str, Any]) -> None:
    for banner in rep["not_the_kernel"]:
        print(f"*** {banner} ***")
    print(f"scenario {rep['scenario']} ({rep['variant']}), schedule {rep['schedule']}")
    for s in rep["steps"]:
        what = "; ".join(s["events"]) or s["line"]
        end = f"  => {s['thread']} returns {s['result']}" if "result" in s else ""
        print(f"{s['n']:>5} {s['letter']} {s['function']}:{s['label']:<10} {what}{end}")
    print("results: " + ", ".join(f"{k} {v}" for k, v in rep["results"].items()))
    kf = rep.get("kfuncs")
    if kf:
        c = kf["counts"]
        print(f"kfuncs: {kf['total']} in your kernel's BTF, on the {kf['modelled_snapshot']} "
              f"registry: {c['source']} placed from kernel source, {c['guess']} GUESSED by name, "
              f"{c['unplaced']} unplaced (--json, key 'kfuncs', has each one and why)")
        for u in kf["unplaced"]:
            print(f"  unplaced: {u['name']} (BTF ID {u['btf_id']}): {u['why']}")
    print("tables:")
    for name, tab in rep["tables"].items():
        _table(name, tab)


def print_explore(rep: dict[str, Any]) -> None:
    print(f"scenario {rep['scenario']} ({rep['variant']}): {rep['states']} states, "
          f"{rep['transitions']} transitions, {rep['seconds']:.3f} s"
          + ("" if rep["complete"] else " (INCOMPLETE)"))
    print("outcomes:")
    for o in rep["outcomes"]:
        res = ", ".join(f"{k} {v}" for k, v in o["results"].items())
        print(f"  {res:<40} {o['count']:>6} terminal state(s)   witness {o['witness']}")
        if o.get("note"):
            print(f"  {'':<40} {'':>6} ({o['note']})")
    if rep["invariant_violations"]:
        print("invariant violations:")
        for v in rep["invariant_violations"]:
            print(f"  {v['invariant']}: {v['message']} ({v['count']} states; "
                  f"witness {v['witness']})" + (f" ({v['note']})" if v.get("note") else ""))
    else:
        print("invariants: all hold in every state")
    print(f"terminal state(s) = {rep['count_meaning']}")
    print(f"witness = the schedule with the {rep['witness_rule']}")


def print_sort(rep: dict[str, Any]) -> None:
    phase = ""
    for e in rep["events"]:
        if e["phase"] != phase:
            phase = e["phase"]
            print({"build": "-- build heap --", "sortdown": "-- sort down --"}.get(phase, phase))
        if e["op"] == "cmp":
            op = f"cmp  ids[{e['i']}]={e['a']} ids[{e['j']}]={e['b']}"
        else:
            op = f"swap ids[{e['i']}]={e['a']} ids[{e['j']}]={e['b']}"
        print(f"{op:<34} {e['narration']}")
    print(f"sorted: {' '.join(map(str, rep['sorted']))}")
    print(f"{rep['comparisons']} comparisons, {rep['swaps']} swaps")


def print_bsearch(rep: dict[str, Any]) -> None:
    print(f"probes: {' '.join(map(str, rep['probes']))}")
    print(f"{'found' if rep['found'] else 'not found'} after {rep['comparisons']} comparisons"
          + ("" if rep["sorted_input"] else " (input is not sorted: bsearch may miss)"))


def print_challenges(rep: dict[str, Any]) -> None:
    for c in rep["challenges"]:
        opts = "+".join(c["variants"] + c["faults"]) or "kernel"
        flag = "  (what-if: NOT the kernel)" if c["not_the_kernel"] else ""
        print(f"{c['name']:<18} {c['scenario']} [{opts}]{flag}")
        print(f"{'':<18} {c['title']}: {' '.join(c['goal'].split())}")
    print("\nCheck a schedule: kfunc-explorer challenge NAME --schedule S  (e.g. L3V10)")


def print_challenge(rep: dict[str, Any]) -> None:
    print(f"challenge {rep['challenge']} ({rep['scenario']}, {rep['variant']}), schedule "
          f"{rep['schedule'] or '(none)'}: {'WON' if rep['won'] else 'not won'}")
    print(rep["why"])
