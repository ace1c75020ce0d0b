"""What a command keeps of the plans once they are checked.

A build of a large portfolio holds every plan in memory while it publishes them; where
each value was written is needed by the checks only. `cxplan serve`, which loads the
workspace again after each save, keeps the loaded plans to build again only the ones
that changed."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import REPO

from cxplan.cli.site import check_workspace
from cxplan.load import Source, parse
from cxplan.model.plan import Plan
from cxplan.model.workspace import load_workspace


def example_workspace(folder: Path) -> Path:
    shutil.copytree(REPO / "plans", folder / "plans")
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    return folder


def test_a_checked_workspace_keeps_no_positions_and_no_text(tmp_path: Path) -> None:
    workspace = example_workspace(tmp_path / "ws")
    diagnostics, checked, _language = check_workspace(workspace / "mkdocs.yml",
                                                      dt.date(2026, 11, 23))
    plans = checked.workspace.plans
    assert len(plans) == len(list((workspace / "plans").glob("*.yaml")))
    # The findings were made with the positions: they point into the files.
    assert any(d.line > 1 for d in diagnostics)
    for plan in plans:
        # The text is let go; its digest stays, for a rebuild to see what changed.
        text = Path(plan.source.path).read_text(encoding="utf-8")
        assert plan.source.text == ""
        assert plan.digest == hashlib.sha256(text.encode()).hexdigest()
        assert not plan.source.values and plan.source.data is None
    gc.collect()
    ours = str(workspace)
    alive = [o for o in gc.get_objects()
             if isinstance(o, Source) and o.path.startswith(ours) and o.values]
    assert alive == []


def test_serve_keeps_the_loaded_plans_and_loads_a_changed_one_again(tmp_path: Path) -> None:
    workspace = example_workspace(tmp_path / "ws")
    script = textwrap.dedent("""
        import sys
        from pathlib import Path
        from cxplan.model.build import remember_loaded_plans
        from cxplan.model.workspace import load_workspace

        folder = Path(sys.argv[1])
        once = {p.id: p for p in load_workspace([folder]).plans}
        again = {p.id: p for p in load_workspace([folder]).plans}
        remember_loaded_plans()
        first = {p.id: p for p in load_workspace([folder]).plans}
        changed = sorted(folder.glob("*.yaml"))[0]
        changed.write_text(changed.read_text(encoding="utf-8") + "# saved\\n",
                           encoding="utf-8")
        second = {p.id: p for p in load_workspace([folder]).plans}
        print(sum(once[i] is again[i] for i in once), len(once))
        print(sorted(i for i in first if first[i] is not second[i]) == [changed.stem])
        print(all(p.source.values for p in second.values()))
    """)
    run = subprocess.run([sys.executable, "-c", script, str(workspace / "plans")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    kept, total, only_changed, positions = run.stdout.split()
    assert kept == "0" and int(total) >= 2  # a one-shot command builds each plan anew
    assert only_changed == "True"
    assert positions == "True"


def test_the_models_of_plans_share_their_sets_of_given_fields_and_short_strings(
    tmp_path: Path,
) -> None:
    workspace = example_workspace(tmp_path / "ws")
    plans = load_workspace([workspace / "plans"]).plans
    items = [item for p in plans for section in ("actions", "commitments", "kpis")
             for item in getattr(p.plan, section)]
    # One set object per distinct set of names, across every plan.
    assert len({id(i.model_fields_set) for i in items}) \
        == len({frozenset(i.model_fields_set) for i in items}) < len(items)
    # One string object per owner id, per moment id a list names, however often named.
    owners = [i.owner for i in items]
    moments = [m for p in plans for a in p.plan.actions for m in a.moments]
    for names in (owners, moments):
        assert len({id(n) for n in names}) == len(set(names)) < len(names)
    for plan in plans:
        source, _warnings = parse(plan.path, Path(plan.path).read_text(encoding="utf-8"))
        fresh = Plan.model_validate(source.data)
        assert plan.plan.model_dump(exclude_unset=True) == fresh.model_dump(exclude_unset=True)
    # A copy with a field changed marks it given on the copy alone.
    first = next(a for p in plans for a in p.plan.actions if "notes" not in a.model_fields_set)
    others = [a for p in plans for a in p.plan.actions
              if a.model_fields_set == first.model_fields_set]
    copy = first.model_copy(update={"notes": "added"})
    assert "notes" in copy.model_fields_set
    assert all("notes" not in a.model_fields_set for a in others)
