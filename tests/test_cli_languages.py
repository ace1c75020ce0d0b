"""The command line's own words (help, usage errors, progress) in every language cxplan
ships: each file of `cxplan/i18n/cli/` complete and current, and real commands speaking
the workspace's language, or the system's outside a workspace."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from cxplan import i18n
from cxplan.cli import all_commands, cli, language

OTHER_LANGUAGES = [lang for lang in i18n.languages() if lang != i18n.DEFAULT_LANGUAGE]
CLICK_SOURCE = "\n".join(p.read_text(encoding="utf-8")
                         for p in Path(click.__file__).parent.glob("*.py"))


def _commands() -> dict[str, click.Command]:
    return {"cxplan": cli, **all_commands()}


def _option_helps() -> set[str]:
    return {p.help for c in _commands().values() for p in c.params
            if isinstance(p, click.Option) and p.help}


def _example_lines(help_text: str) -> list[str]:
    """The command lines of a help text: those that start with `cxplan ` (or set a
    variable first), and what follows an `Example:` label on its own line."""
    found = []
    for line in help_text.splitlines():
        stripped = line.strip()
        if re.match(r"(\w+=\S+ )?cxplan ", stripped):
            found.append(stripped)
        elif stripped.startswith("Example: "):
            found.append(stripped.partition(": ")[2])
    return found


def test_english_speaks_for_itself() -> None:
    """English is the code: there is no English file to keep in step with it."""
    assert not (language.HELP_DIR / "en.yaml").exists()
    assert language.translations("en")["commands"] == {}


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_every_command_and_option_has_its_help(lang: str) -> None:
    found = language.translations(lang)
    missing = sorted(set(_commands()) - set(found["commands"]))
    assert not missing, f"{lang}: no help for {missing}"
    assert "cxplan.epilog" in found["commands"]
    missing_options = sorted(_option_helps() - set(found["options"]))
    assert not missing_options, f"{lang}: options without their help: {missing_options}"


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_no_translation_is_of_a_text_that_is_gone(lang: str) -> None:
    """A key is an English text of today's code: an English help that changed leaves
    its old translation behind, and this says which to bring up to date."""
    found = language.translations(lang)
    known = set(_commands()) | {f"{name}.epilog" for name in _commands()}
    assert not set(found["commands"]) - known
    assert not set(found["options"]) - _option_helps()
    for word in [*found["click"], *found["click_plural"]]:
        # click's English, as its source writes it (a newer click that rewords one
        # shows it here); a placeholder click builds (FILE, [OPTIONS]) is its name.
        assert f'"{word}"' in CLICK_SOURCE or word.isupper() or word.startswith("["), word


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_translated_help_keeps_the_examples_and_the_shape(lang: str) -> None:
    found = language.translations(lang)
    for name, command in _commands().items():
        english, translated = command.help or "", found["commands"][name]
        for line in _example_lines(english):
            assert line in translated, f"{lang} {name}: example {line!r} lost"
        # Blocks click must not rewrap (examples, the JSON shape) are kept as blocks.
        assert english.count("\b") == translated.count("\b"), f"{lang} {name}"
        summary = translated.strip().splitlines()[0]
        assert summary.endswith("."), f"{lang} {name}: the first line is a sentence"
    for english, translated in found["options"].items():
        assert translated and translated != english, english
        for code in re.findall(r"`[^`]+`|--[a-z-]+|[A-Z_]{3,}", english):
            assert code in translated, f"{lang}: {code!r} lost in {translated!r}"
    for english, translated in found["click"].items():
        fields = set(re.findall(r"{(\w+)[!}]", english))
        assert set(re.findall(r"{(\w+)[!}]", translated)) <= fields, english
    for english, forms in found["click_plural"].items():
        assert isinstance(forms, list) and len(forms) == 2, english


def test_the_system_language_outside_a_workspace(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    assert language.system_language() is None
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert language.system_language() == "es"
    monkeypatch.setenv("LC_ALL", "C")  # the first variable set decides
    assert language.system_language() is None
    monkeypatch.setenv("LANGUAGE", "fr:pt_PT:en")  # a list of preferences
    assert language.system_language() == "pt"


# --- real commands -----------------------------------------------------------------------


def _workspace(root: Path, theme_language: str | None) -> Path:
    root.mkdir()
    theme = "theme:\n  name: material\n" + (f"  language: {theme_language}\n"
                                              if theme_language else "")
    (root / "mkdocs.yml").write_text(f"site_name: Cuentas\n{theme}plugins:\n  - cxplan\n",
                                     encoding="utf-8")
    return root


def _cxplan(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    # The console script, as a user runs it (its usage line names `cxplan`).
    script = Path(sys.executable).with_name("cxplan")
    return subprocess.run([str(script), *args], cwd=cwd, text=True,
                          capture_output=True, env={**clean, **env}, timeout=60)


def test_a_spanish_workspace_gets_spanish_help_and_errors(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws", "es")
    top = _cxplan(ws, "--help")
    assert top.returncode == 0
    assert top.stdout.startswith("Uso: cxplan [OPCIONES] ORDEN [ARGUMENTOS]...")
    for words in ("Opciones:", "Órdenes:", "Muestra este mensaje y termina.",
                  "Revisa los planes frente al formato y al método."):
        assert words in top.stdout
    build = _cxplan(ws, "build", "--help")
    assert "Construye solo este plan (repetible)" in build.stdout
    assert "cxplan build --shard 2/3 --site-dir shard-2 --as-of 2026-11-23" in build.stdout
    assert "Build only" not in build.stdout

    unknown = _cxplan(ws, "validate", "--nope")
    assert unknown.returncode == 2
    assert "Pruebe 'cxplan validate --help' para obtener ayuda." in unknown.stderr
    assert "Error: No existe la opción '--nope'." in unknown.stderr
    shard = _cxplan(ws, "build", "--shard", "5/3")
    assert shard.returncode == 2
    assert "Valor no válido para '--shard': parte 5/3: K debe estar entre 1 y N" in shard.stderr
    assert not (ws / "site").exists()
    day = _cxplan(ws, "status", "--as-of", "2026-13-01")
    assert day.returncode == 2 and "no es una fecha escrita AAAA-MM-DD" in day.stderr
    choice = _cxplan(ws, "validate", "--format", "yaml")
    assert "'yaml' no es ninguno de estos: 'github', 'json', 'text'." in choice.stderr
    assert _cxplan(ws, "--version").stdout.startswith("cxplan, versión ")


def test_the_plugins_language_wins_over_the_system(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws", None)
    config = ws / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - cxplan\n", "  - cxplan:\n      language: pt\n"), encoding="utf-8")
    result = _cxplan(tmp_path, "validate", "--config", str(config), "--strict", "--nope",
                     LANG="es_ES.UTF-8")
    assert "Erro: Não existe a opção '--nope'." in result.stderr


def test_portuguese_from_the_system_outside_a_workspace(tmp_path: Path) -> None:
    result = _cxplan(tmp_path, "new", "--help", LANG="pt_PT.UTF-8")
    assert result.stdout.startswith("Uso: cxplan new [OPÇÕES]")
    assert "Adiciona um plano a partir de um modelo que valida tal como está." in result.stdout
    assert "cxplan new acme-corp --customer \"Acme Corp\" --owner ana.silva" in result.stdout


def test_english_is_as_click_writes_it(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws", None)
    result = _cxplan(ws, "validate", "--nope", LANG="de_DE.UTF-8")
    assert result.stderr.startswith("Usage: cxplan validate [OPTIONS] [PATHS]...")
    assert "Error: No such option '--nope'." in result.stderr
    assert _cxplan(ws, "--version").stdout.startswith("cxplan, version ")


PLANS = Path(__file__).resolve().parent.parent / "plans"


def test_the_systems_refusal_in_the_workspaces_language(tmp_path: Path) -> None:
    """A write the system refuses: the reason (here 'Not a directory') is the
    catalogue's, in Spanish and Portuguese; English keeps the system's words."""
    blocker = tmp_path / "informe"
    blocker.write_text("a file where a folder should be\n", encoding="utf-8")
    target = blocker / "northwind.ics"
    plan = str(PLANS / "northwind-logistics.yaml")
    said = {}
    for lang, theme in (("es", "es"), ("pt", "pt"), ("en", None)):
        ws = _workspace(tmp_path / f"ws-{lang}", theme)
        result = _cxplan(ws, "export", plan, "--format", "ics", "-o", str(target))
        assert result.returncode == 1 and "Traceback" not in result.stderr
        said[lang] = result.stderr
    assert f"cxplan export: no se puede escribir {target}: no es una carpeta" in said["es"]
    assert f"cxplan export: não é possível escrever {target}: não é uma pasta" in said["pt"]
    assert f"cxplan export: cannot write {target}: Not a directory" in said["en"]
    assert blocker.read_text(encoding="utf-8") == "a file where a folder should be\n"


def test_a_site_folder_that_is_a_file_is_refused_in_spanish(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws", "es")
    (ws / "plans").mkdir()
    (ws / "plans" / "northwind-logistics.yaml").write_bytes(
        (PLANS / "northwind-logistics.yaml").read_bytes())
    (ws / "public").write_text("not a folder\n", encoding="utf-8")
    result = _cxplan(ws, "build", "--site-dir", "public", "--as-of", "2026-11-23")
    assert result.returncode == 2
    assert "Error: Valor no válido para '--site-dir': 'public' es un archivo." in result.stderr
    assert (ws / "public").read_text(encoding="utf-8") == "not a folder\n"


def test_init_and_new_refuse_in_the_language_asked_for(tmp_path: Path) -> None:
    init = _cxplan(tmp_path, "init", "novo", "--language", "pt", "--install-from", " ")
    assert init.returncode == 1
    assert "cxplan init: --install-from precisa de uma só linha" in init.stderr
    assert not (tmp_path / "novo").exists()
    ws = _workspace(tmp_path / "ws", "es")
    new = _cxplan(ws, "new", "Acme_Corp")
    assert new.returncode == 1
    assert "cxplan new: 'Acme_Corp' no es un id de plan válido" in new.stderr
    assert not (ws / "plans").exists()
