"""The language of the command line's own words: help, usage errors, progress.

The same language as the messages about the plans: the workspace's (the cxplan
plugin's `language` in mkdocs.yml, else `theme.language`). Outside a workspace, the
system's (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`, as gettext reads them) when
cxplan ships it; else English.

English is the code itself: each command's docstring and each option's `help`. The
other languages are `cxplan/i18n/cli/<language>.yaml`, keyed as gettext is: a
command's help by the command's name, an option's by its English text, and click's
own words (usage lines, errors) by click's English. A changed English text has no
translation until its file is brought up to date (a test says which).
"""

from __future__ import annotations

import functools
import gettext
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import yaml

from cxplan import i18n

HELP_DIR = Path(__file__).resolve().parent.parent / "i18n" / "cli"

_ACTIVE = i18n.DEFAULT_LANGUAGE
"""The language chosen for this command (`choose`)."""

# click's modules that mark their words for translation with gettext (click 8).
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui",
                  "types")


def current() -> str:
    """The language of this command's own words."""
    return _ACTIVE


def choose(args: Sequence[str]) -> str:
    """Find the command's language from its arguments (`--config`) and the
    environment, and speak it from now on: click's words and every command's help."""
    global _ACTIVE
    _ACTIVE = workspace_language(_config_argument(args)) or system_language() \
        or i18n.DEFAULT_LANGUAGE
    if _ACTIVE != i18n.DEFAULT_LANGUAGE:
        _translate_click()
    return _ACTIVE


def _config_argument(args: Sequence[str]) -> Path | None:
    for index, arg in enumerate(args):
        if arg == "--config" and index + 1 < len(args):
            return Path(args[index + 1])
        if arg.startswith("--config="):
            return Path(arg.partition("=")[2])
    return None


def workspace_language(config_file: Path | None) -> str | None:
    """The workspace's language, read from mkdocs.yml without checking its options
    (a broken mkdocs.yml is reported by the command itself, not here)."""
    from cxplan.config import plugin_options, read_mkdocs_yml, theme_language

    path = config_file or Path("mkdocs.yml")
    try:
        mkdocs = read_mkdocs_yml(path)
    except Exception:  # whatever is wrong with it, the command itself reports
        return None
    own = (plugin_options(mkdocs) or {}).get("language")
    return own if isinstance(own, str) and own in i18n.languages() else theme_language(mkdocs)


def system_language() -> str | None:
    """The first language of the system's settings that cxplan ships."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if not value:
            continue
        for entry in value.split(":"):
            code = entry.split(".")[0].split("_")[0].split("@")[0].lower()
            if code in i18n.languages():
                return code
        if variable != "LANGUAGE":  # the first variable set decides (gettext's rule)
            return None
    return None


@functools.cache
def translations(language: str) -> dict[str, dict[str, Any]]:
    """The sections of `language`'s file: `commands`, `options`, `click`, `click_plural`
    (empty for English, which is the code)."""
    path = HELP_DIR / f"{language}.yaml"
    if not path.is_file():
        return {"commands": {}, "options": {}, "click": {}, "click_plural": {}}
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
    # A block of lines click must not rewrap starts with a line holding "\b" only;
    # YAML cannot hold that control character in a literal block, so the file writes
    # the two characters.
    commands = {name: str(text).replace("\\b\n", "\b\n")
                for name, text in (data.get("commands") or {}).items()}
    return {"commands": commands, "options": dict(data.get("options") or {}),
            "click": dict(data.get("click") or {}),
            "click_plural": dict(data.get("click_plural") or {})}


def translate_command(name: str, command: click.Command) -> None:
    """Give `command` (and its options) the help of the chosen language, where the
    language's file has it."""
    if _ACTIVE == i18n.DEFAULT_LANGUAGE:
        return
    found = translations(_ACTIVE)
    words = found["click"]
    if name in found["commands"]:
        command.help = found["commands"][name]
    if f"{name}.epilog" in found["commands"]:
        command.epilog = found["commands"][f"{name}.epilog"]
    if command.options_metavar:
        command.options_metavar = words.get(command.options_metavar, command.options_metavar)
    if isinstance(command, click.Group) and command.subcommand_metavar:
        command.subcommand_metavar = words.get(command.subcommand_metavar,
                                               command.subcommand_metavar)
    for param in command.params:
        english = getattr(param, "help", None)
        if english and english in found["options"]:
            param.help = found["options"][english]  # type: ignore[attr-defined]
        # The placeholder of a value (FILE, TEXT...) is its type's English name.
        if isinstance(param, click.Option) and param.metavar is None and not param.is_flag \
                and not isinstance(param.type, click.Choice):
            shown = param.type.name.upper()
            if shown in words:
                param.metavar = words[shown]


def _translate_click() -> None:
    """Have click's own words (usage, option lists, errors) in the chosen language:
    click asks gettext for each through its modules' `_` and `ngettext`."""
    import importlib

    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if getattr(module, "_", None) is gettext.gettext:
            module._ = _click_word  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = _click_plural  # type: ignore[attr-defined]


def _click_word(message: str) -> str:
    return str(translations(_ACTIVE)["click"].get(message, message))


def _click_plural(singular: str, plural: str, count: int) -> str:
    forms = translations(_ACTIVE)["click_plural"].get(singular)
    if not isinstance(forms, list) or len(forms) != 2:
        return singular if count == 1 else plural
    from babel import Locale

    one = Locale.parse(_ACTIVE).plural_form(count) == "one"
    return str(forms[0] if one else forms[1])


def text(key: str, /, **params: Any) -> str:
    """A catalogue text in the command's language."""
    return i18n.text(_ACTIVE, key, **params)
