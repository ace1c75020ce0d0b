"""The cache of parsed plans gives exactly what parsing gives, or is not used."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import time
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, minimal_plan_text, mutate, write_plan

from cxplan import load, load_cache
from cxplan.load import Source

PLANS = sorted((REPO / "plans").glob("*.yaml"))


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CXPLAN_CACHE_DIR", str(folder))
    return folder / "plans"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The paths the real parser is called for."""
    called: list[str] = []
    real = load.parse

    def counted(path: str, text: str, **options: bool) -> tuple[Source, list[load.Diagnostic]]:
        called.append(path)
        return real(path, text, **options)

    monkeypatch.setattr(load, "parse", counted)
    yield called


def same(a: Source, b: Source) -> None:
    assert (a.path, a.text, a.data, a.raw, a.warnings, a.repaired) == (
        b.path, b.text, b.data, b.raw, b.warnings, b.repaired)
    assert a.values == b.values and a.keys == b.keys
    assert len(a.values) == len(b.values) > 50


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_a_cached_plan_is_the_parsed_plan(plan: Path, cache_dir: Path, parses: list[str]) -> None:
    fresh, problems = load.load_file(plan, "plans/" + plan.name)
    assert not problems
    first, _ = load_cache.load_file(plan, "plans/" + plan.name)  # parsed, then written
    second, found = load_cache.load_file(plan, "plans/" + plan.name)  # from the entry
    assert parses == ["plans/" + plan.name] * 2 and found == []
    assert len(list(cache_dir.iterdir())) == 1
    same(first, fresh)
    same(second, fresh)


def test_warnings_numbers_and_unicode_come_back_as_parsed(
    tmp_path: Path, cache_dir: Path, parses: list[str]
) -> None:
    text = mutate(minimal_plan_text(), "title: Acme CX plan",
                  "title: Acme plan #2 — «Ünïcode» 🚚\n  budget: 007\n  ratio: 1.50")
    path = write_plan(tmp_path, text)
    fresh, _ = load.load_file(path)
    assert fresh.warnings and fresh.raw
    load_cache.load_file(path)
    cached, _ = load_cache.load_file(path)
    assert len(parses) == 2
    same(cached, fresh)
    assert cached.data["plan"]["budget"] == 7 and cached.raw[("plan", "budget")] == "007"


def test_a_plan_with_an_error_is_parsed_every_time(
    tmp_path: Path, cache_dir: Path, parses: list[str]
) -> None:
    path = write_plan(tmp_path, mutate(minimal_plan_text(), "owner: ana", "owner: [ana"))
    for _ in range(2):
        _, problems = load_cache.load_file(path)
        assert problems and problems[0].code == "CX110"
    assert len(parses) == 2 and not list(cache_dir.iterdir())


def test_new_bytes_are_parsed_again(tmp_path: Path, cache_dir: Path, parses: list[str]) -> None:
    path = write_plan(tmp_path, minimal_plan_text())
    load_cache.load_file(path)
    path.write_text(mutate(minimal_plan_text(), "Acme CX plan", "Acme CX plan 2027"),
                    encoding="utf-8")
    source, _ = load_cache.load_file(path)
    assert source.data["plan"]["title"] == "Acme CX plan 2027" and len(parses) == 2
    # The same bytes under another name: its own entry (messages name the file).
    other, _ = load_cache.load_file(path, "plans/other.yaml")
    assert other.path == "plans/other.yaml" and len(parses) == 3
    assert len(list(cache_dir.iterdir())) == 2


@pytest.mark.parametrize("damage", [
    "truncated", "not json", "other key", "fewer positions", "not base64", "a list"])
def test_a_damaged_entry_is_parsed_again_and_rewritten(
    damage: str, tmp_path: Path, cache_dir: Path, parses: list[str]
) -> None:
    path = write_plan(tmp_path, minimal_plan_text())
    fresh, _ = load.load_file(path)
    load_cache.load_file(path)
    [entry] = cache_dir.iterdir()
    record = json.loads(entry.read_text(encoding="utf-8"))
    if damage == "truncated":
        entry.write_text(entry.read_text(encoding="utf-8")[:-200], encoding="utf-8")
    elif damage == "not json":
        entry.write_bytes(b"\x80\x81 not json")
    else:
        if damage == "other key":
            record["key"] = "0" * 64
        elif damage == "fewer positions":
            fewer = array("q", base64.b64decode(record["value"]["values"]))[:-1]
            record["value"]["values"] = base64.b64encode(fewer.tobytes()).decode()
        elif damage == "not base64":
            record["value"]["keys"] = record["value"]["keys"][:-3] + "!!!"
        else:
            record = [record]
        entry.write_text(json.dumps(record), encoding="utf-8")
    source, problems = load_cache.load_file(path)
    assert not problems and len(parses) == 3  # the fresh parse, the first, this one
    same(source, fresh)
    load_cache.load_file(path)  # the rewritten entry is used
    assert len(parses) == 3


def test_a_tree_json_would_change_is_not_cached(
    tmp_path: Path, cache_dir: Path, parses: list[str]
) -> None:
    path = write_plan(tmp_path, "plan:\n  ceiling: .inf\n  floor: -.inf\n")
    for _ in range(2):
        source, problems = load_cache.load_file(path)
        assert not problems and source.data["plan"]["ceiling"] == float("inf")
    assert len(parses) == 2 and not list(cache_dir.iterdir())


def test_a_folder_others_may_read_is_closed_to_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    shared = tmp_path / "shared"
    (shared / "plans").mkdir(parents=True)
    (shared / "plans").chmod(0o777)
    monkeypatch.setenv("CXPLAN_CACHE_DIR", str(shared))
    path = write_plan(tmp_path, minimal_plan_text())
    load_cache.load_file(path)
    assert (shared / "plans").stat().st_mode & 0o777 == 0o700
    load_cache.load_file(path)
    assert len(parses) == 1


def test_a_folder_of_another_user_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    shared = tmp_path / "shared"
    (shared / "plans").mkdir(parents=True)
    monkeypatch.setenv("CXPLAN_CACHE_DIR", str(shared))
    someone_else = os.geteuid() + 1  # the folder is ours: we are made someone else
    monkeypatch.setattr(load_cache.os, "geteuid", lambda: someone_else)
    path = write_plan(tmp_path, minimal_plan_text())
    load_cache.load_file(path)
    load_cache.load_file(path)
    assert len(parses) == 2 and not list((shared / "plans").iterdir())


def test_an_empty_setting_turns_the_cache_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    monkeypatch.setenv("CXPLAN_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = write_plan(tmp_path, minimal_plan_text())
    load_cache.load_file(path)
    load_cache.load_file(path)
    assert len(parses) == 2 and not (tmp_path / "xdg").exists()


def test_the_default_folder_is_the_users_cache_and_only_theirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CXPLAN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = write_plan(tmp_path, minimal_plan_text())
    load_cache.load_file(path)
    folder = tmp_path / "xdg" / "cxplan" / "plans"
    [entry] = folder.iterdir()
    assert folder.stat().st_mode & 0o777 == 0o700
    assert entry.stat().st_mode & 0o077 == 0  # the plans' text, for its owner only


def test_an_entry_that_cannot_be_read_or_written_still_loads(
    tmp_path: Path, cache_dir: Path, parses: list[str]
) -> None:
    path = write_plan(tmp_path, minimal_plan_text())
    load_cache.load_file(path)
    [entry] = cache_dir.iterdir()
    entry.unlink()
    entry.mkdir()  # neither a file to read nor a name a file can replace
    for _ in range(2):
        source, problems = load_cache.load_file(path)
        assert not problems and source.data["plan"]["title"] == "Acme CX plan"
    assert len(parses) == 3 and [p.name for p in cache_dir.iterdir()] == [entry.name]


def test_a_cache_folder_that_cannot_be_made_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    monkeypatch.setenv("CXPLAN_CACHE_DIR", str(tmp_path / "a-file"))
    path = write_plan(tmp_path, minimal_plan_text())
    for _ in range(2):
        source, problems = load_cache.load_file(path)
        assert not problems and source.data["plan"]["owner"] == "ana"
    assert len(parses) == 2


def test_validate_and_build_say_the_same_from_the_cache(tmp_path: Path) -> None:
    """Real `cxplan validate` and `cxplan build` runs: a cold cache, then a warm one,
    then none give the same report and the same site, byte for byte."""
    import shutil

    workspace = tmp_path / "ws"
    shutil.copytree(REPO / "plans", workspace / "plans")
    shutil.copytree(REPO / "docs", workspace / "docs")
    shutil.copy(REPO / "mkdocs.yml", workspace / "mkdocs.yml")
    results = []
    for name, setting in [("cold", str(tmp_path / "cache")), ("warm", str(tmp_path / "cache")),
                          ("off", "")]:
        env = {**os.environ, "CXPLAN_CACHE_DIR": setting, "CXPLAN_AS_OF": "2026-11-23",
               "SOURCE_DATE_EPOCH": "1795392000"}
        validate = subprocess.run([sys.executable, "-m", "cxplan", "validate"], cwd=workspace,
                                  env=env, capture_output=True, text=True, timeout=600)
        build = subprocess.run(
            [sys.executable, "-m", "cxplan", "build", "--site-dir", str(tmp_path / name),
             "--jobs", "1"], cwd=workspace, env=env, capture_output=True, text=True,
            timeout=600)
        assert build.returncode == 0, build.stderr
        results.append((validate.returncode, validate.stdout, validate.stderr))
    assert len(list((tmp_path / "cache" / "plans").iterdir())) == len(PLANS)
    assert results[0] == results[1] == results[2]
    for name in ("warm", "off"):
        assert tree(tmp_path / name) == tree(tmp_path / "cold")


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".cxplan-build.json"}


def test_a_catalogue_is_read_from_its_yaml_once(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The texts of a language come from the cache (JSON) after the first read of its
    catalogue's bytes; an entry that is not a catalogue is read from the YAML again."""
    from cxplan import i18n

    reads: list[int] = []
    real = i18n.yaml.load

    def counted(stream: str, Loader: type) -> object:
        reads.append(1)
        return real(stream, Loader=Loader)

    monkeypatch.setattr(i18n.yaml, "load", counted)
    expected = dict(real((i18n.CATALOGUE_DIR / "es.yaml").read_text(encoding="utf-8"),
                         Loader=i18n.yaml.CSafeLoader))
    try:
        for _ in range(2):
            i18n.catalogue.cache_clear()
            assert i18n.catalogue("es") == expected
        assert len(reads) == 1
        [entry] = (cache_dir.parent / "json").iterdir()
        entry.write_text('{"site.actions": 7}', encoding="utf-8")
        i18n.catalogue.cache_clear()
        assert i18n.catalogue("es") == expected and len(reads) == 2
        i18n.catalogue.cache_clear()  # the entry was written again
        assert i18n.catalogue("es") == expected and len(reads) == 2
    finally:
        i18n.catalogue.cache_clear()


def test_a_changed_catalogue_replaces_its_entry(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new version of a catalogue is read from its YAML and takes its language's
    entry: one entry per language, however often the texts change."""
    import shutil

    from cxplan import i18n

    folder = tmp_path / "catalogue"
    shutil.copytree(i18n.CATALOGUE_DIR, folder)
    monkeypatch.setattr(i18n, "CATALOGUE_DIR", folder)
    try:
        for version in ("Acciones", "Acciones del plan", "Tareas"):
            text = (folder / "es.yaml").read_text(encoding="utf-8")
            text, found = re.subn(r"(?m)^site\.actions_for_area: .*$",
                                  f'site.actions_for_area: "{version}"', text)
            assert found == 1
            (folder / "es.yaml").write_text(text, encoding="utf-8")
            i18n.catalogue.cache_clear()
            assert i18n.catalogue("es")["site.actions_for_area"] == version
        assert len(list((cache_dir.parent / "json").iterdir())) == 1
    finally:
        i18n.catalogue.cache_clear()


def test_entries_written_long_ago_are_removed(
    tmp_path: Path, cache_dir: Path, parses: list[str]
) -> None:
    """The first write of a process removes the entries written more than a month ago
    (and what a killed write left): the folder does not only grow."""
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    load_cache.load_file(write_plan(tmp_path / "a", minimal_plan_text()))
    [kept] = cache_dir.iterdir()
    month_ago = time.time() - (load_cache.PRUNE_AFTER_DAYS + 1) * 86400
    old = [cache_dir / ("0" * 32 + ".json"), cache_dir / "tmpkilled.tmp"]
    for path in old:
        path.write_text("{}", encoding="utf-8")
        os.utime(path, (month_ago, month_ago))
    load_cache._prune.cache_clear()  # as in a new process
    load_cache.load_file(write_plan(tmp_path / "b", minimal_plan_text()))  # a write
    names = {p.name for p in cache_dir.iterdir()}
    assert kept.name in names and len(names) == 2
    assert not any(path.exists() for path in old)
