"""What the loader and the model say, in every language cxplan ships.

The loader and the model report before anyone knows the reader's language, so they
say catalogue texts (`cxplan.i18n.Text`) that `validate`, `build` and every command show
in the workspace's language. These tests run the realistic mistakes, the hostile corpus
and the YAML test suite through the loader and show every diagnostic in every language:
none may fail to render, keep an unfilled placeholder, or stay English where a
translation exists. Then real `cxplan validate` runs in a Spanish and a Portuguese
workspace, warm and cold cache.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SHARED, minimal_plan_text, mutate, write_plan
from test_hostile import CORPUS, NAMES
from test_mistakes import MISTAKES

from cxplan import i18n
from cxplan.diagnostics import Diagnostic
from cxplan.i18n import Text
from cxplan.load import parse
from cxplan.model.workspace import load_workspace

OTHER_LANGUAGES = [code for code in i18n.languages() if code != "en"]
CXPLAN = Path(sys.executable).with_name("cxplan")

# Texts that are the same in every language by design: a quotation of the plan or of
# the format reference (English, as the reference is), an id, a path.
SAME_EVERYWHERE = {"model.doc", "model.item.path", "model.value.other", "model.type.other",
                   "traps.comment.kept"}


def _keys(text: Text) -> Iterator[str]:
    yield text.key
    for _, value in text.params:
        if isinstance(value, Text):
            yield from _keys(value)


def _check_languages(diagnostic: Diagnostic) -> None:
    assert diagnostic.texts is not None, f"{diagnostic.code} said in English only"
    message, hint = diagnostic.texts
    for language in OTHER_LANGUAGES:
        shown = diagnostic.in_language(language)
        for text, english, said in ((message, diagnostic.message, shown.message),
                                    (hint, diagnostic.hint, shown.hint)):
            if text is None:
                continue
            assert "{" not in said.replace("{ }", "") or "{" in english, said
            if not set(_keys(text)) <= SAME_EVERYWHERE:
                assert said != english, (language, text.key, said)


def _mistake_diagnostics(tmp_path: Path) -> list[Diagnostic]:
    found = []
    for number, mistake in enumerate(MISTAKES):
        text = minimal_plan_text()
        for old, new in mistake.edits:
            text = mutate(text, old, new)
        folder = tmp_path / str(number)
        folder.mkdir()
        found += load_workspace([write_plan(folder, text, mistake.file_name)]).diagnostics
    return found


def test_every_realistic_mistake_is_said_in_every_language(tmp_path: Path) -> None:
    found = _mistake_diagnostics(tmp_path)
    assert len(found) >= len(MISTAKES)
    for diagnostic in found:
        _check_languages(diagnostic)


def test_every_hostile_file_is_said_in_every_language(tmp_path: Path) -> None:
    checked = 0
    for hostile in CORPUS:
        folder = tmp_path / hostile.name
        folder.mkdir()
        path = folder / NAMES[hostile.name]
        path.write_bytes(hostile.content())
        for diagnostic in load_workspace([path]).diagnostics:
            _check_languages(diagnostic)
            checked += 1
    assert checked >= len(CORPUS) // 2


def test_the_yaml_test_suite_is_said_in_every_language() -> None:
    cases = sorted((SHARED / "yaml-test-suite" / "cases").glob("*.yaml"))
    assert len(cases) >= 400
    checked = 0
    for case in cases:
        try:
            text = case.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        _, problems = parse(case.name, text)
        for diagnostic in problems:
            _check_languages(diagnostic)
            checked += 1
    assert checked >= 90


def test_a_spanish_date_hint_names_the_month_in_spanish(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, mutate(minimal_plan_text(), "due: 2027-02-15", "due: 2027-02-30"))
    (date,) = [d for d in load_workspace([plan]).diagnostics if d.code == "CX205"]
    assert date.hint == "February 2027 has 28 days; check the day"
    assert date.in_language("es").hint == "febrero de 2027 tiene 28 días; revisa el día"
    assert date.in_language("pt").hint == "fevereiro de 2027 tem 28 dias; verifique o dia"
    assert date.in_language("es").message.startswith("'2027-02-30' no es una fecha real (ese día")


# -- real `cxplan validate` in a workspace of each language ---------------------------

BROKEN = {
    # a tab, a duplicate key, an unknown reference with a near match, two owners
    "tabs": ("    name: Ben Cole", "\tname: Ben Cole"),
    "owners": ("    owner: ana\n    due: 2027-04-30", "    owner: [ana, ben]\n    due: 2027-04-30"),
    "typo": ("    owner: ana\n    due: 2027-04-30", "    owner: anna\n    due: 2027-04-30"),
}
WARNED = ("title: Confirm dock windows", "title: Cut over wave #1 (12 branches)")

EXPECTED = {
    "es": ["error de sintaxis YAML: un tabulador en la sangría",
           "la sangría de YAML se hace solo con espacios",
           "tiene 2 responsables; cada acción tiene exactamente uno",
           "¿querías decir 'ana'?",
           "el texto desde este # es un comentario YAML",
           "4 archivos revisados"],
    "pt": ["erro de sintaxe YAML: uma tabulação na indentação",
           "a indentação do YAML usa só espaços",
           "tem 2 responsáveis; cada ação tem exatamente um",
           "queria dizer 'ana'?",
           "o texto a partir deste # é um comentário YAML",
           "4 ficheiros verificados"],
}
ENGLISH = ["YAML syntax error", "replace the tab with spaces", "has exactly one",
           "did you mean", "is a YAML comment", "checked"]


def _workspace(root: Path, language: str) -> Path:
    plans = root / "plans"
    plans.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(
        f"site_name: CX\ntheme:\n  name: material\n  language: {language}\nplugins:\n"
        "  - cxplan\n", encoding="utf-8")
    for name, (old, new) in BROKEN.items():
        write_plan(plans, mutate(minimal_plan_text(), old, new), f"{name}.yaml")
    write_plan(plans, mutate(minimal_plan_text(), *WARNED), "warned.yaml")
    return root


def _validate(root: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CXPLAN_CACHE_DIR": str(cache)}
    return subprocess.run([str(CXPLAN), "validate", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_validate_speaks_the_workspace_language(tmp_path: Path, language: str) -> None:
    root = _workspace(tmp_path / "ws", language)
    cache = tmp_path / "cache"
    cold = _validate(root, cache)
    warm = _validate(root, cache)  # the warned plan's warning now comes from the cache
    assert cold.returncode == warm.returncode == 1, cold.stderr
    assert cold.stdout == warm.stdout
    assert "Traceback" not in cold.stderr + warm.stderr
    for expected in EXPECTED[language]:
        assert expected in cold.stdout, (expected, cold.stdout)
    for english in ENGLISH:
        assert english not in cold.stdout, (english, cold.stdout)
    assert any((cache / "plans").glob("*.json")), "the warned plan was cached"

    shown = json.loads(_validate(root, cache, "--format", "json").stdout)
    messages = " ".join(d["message"] + " " + d["hint"] for d in shown["diagnostics"])
    assert EXPECTED[language][0] in messages and "YAML syntax error" not in messages
    github = _validate(root, cache, "--format", "github").stdout
    assert EXPECTED[language][-1] in github and "file(s) checked" not in github


def test_a_cached_warning_comes_back_in_the_language_asked_for(tmp_path: Path) -> None:
    """The cache keeps a warning's texts, not its words: a plan cached by a Spanish
    workspace is warned about in English in an English one."""
    cache = tmp_path / "cache"
    spanish = _workspace(tmp_path / "es", "es")
    english = _workspace(tmp_path / "en", "en")
    (english / "plans" / "warned.yaml").write_bytes(
        (spanish / "plans" / "warned.yaml").read_bytes())
    said = _validate(spanish, cache, "plans/warned.yaml")
    assert "el texto desde este # es un comentario YAML" in said.stdout
    entries = list((cache / "plans").glob("*.json"))  # (json/ holds the catalogues)
    assert entries and not any("comentario" in e.read_text(encoding="utf-8") for e in entries)
    assert any("traps.comment" in e.read_text(encoding="utf-8") for e in entries)
    again = _validate(english, cache, "plans/warned.yaml")
    assert "the text from this # on is a YAML comment" in again.stdout
    assert "comentario" not in again.stdout


def test_libyaml_words_are_catalogue_texts_word_for_word() -> None:
    """The English of each listed libyaml text is libyaml's own, and each is said in
    every language (the YAML test suite's syntax errors are made of these)."""
    from cxplan.parser_words import CLOSERS, CONTEXTS, PROBLEMS, context_text, problem_text

    for written in [*PROBLEMS, *CLOSERS]:
        said = problem_text(written)
        assert isinstance(said, Text) and said.in_language("en") == written
    for written in CONTEXTS:
        said = context_text(written)
        assert isinstance(said, Text) and said.in_language("en") == written
    assert problem_text("a problem libyaml may add one day") == "a problem libyaml may add one day"


def test_a_long_message_keeps_its_short_quotations(tmp_path: Path) -> None:
    """Two short quotations with a long text between them are not one long quotation
    (the Spanish of the '@' trap was cut in the middle of its words)."""
    plan = write_plan(tmp_path, mutate(minimal_plan_text(), "    department: Operations",
                                       "    department: @ops-team"))
    (said,) = load_workspace([plan]).diagnostics
    for language in i18n.languages():
        assert "…" not in said.in_language(language).message


def _cxplan(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CXPLAN), *args], cwd=root, capture_output=True, text=True,
                          timeout=60, check=False)


@pytest.mark.parametrize(("args", "spanish"), [
    (("done", "a11"), "no hay ninguna acción 'a11' en ningún plan; ¿querías decir 'a1'?"),
    (("done", "a1", "--plan", "nope"), "no hay ningún plan 'nope' (planes: acme)"),
    (("touch", "nobody"), "no hay ningún interlocutor 'nobody' en ningún plan"),
    (("status", "--plan", "nope"), "no hay ningún plan 'nope' (planes: acme)"),
    (("status", "--owner", "nobody"), "nadie tiene el id 'nobody' en los equipos de estos planes"),
    (("render", "--out", "plans"), "la carpeta de salida plans es la carpeta de los planes"),
])
def test_the_commands_refuse_in_the_workspace_language(
    tmp_path: Path, args: tuple[str, ...], spanish: str,
) -> None:
    root = tmp_path / "ws"
    (root / "plans").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: CX\ntheme:\n  name: material\n"
                                     "  language: es\nplugins:\n  - cxplan\n", encoding="utf-8")
    plan = write_plan(root / "plans", minimal_plan_text())
    before = plan.read_bytes()
    done = _cxplan(root, *args)
    assert done.returncode == 1, done.stdout + done.stderr
    assert spanish in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert plan.read_bytes() == before
