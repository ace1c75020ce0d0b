"""The `cxplan` command: a thin shell that parses options and calls one function.

Exit codes, decided here only: 0 success, 1 the input has a problem, 2 a usage error
(click), 3 an internal failure (with a log to attach to a bug report), 130 Ctrl-C.
"""

from __future__ import annotations

import gc
import importlib
import sys
import tempfile
import traceback

import click

from cxplan import __version__
from cxplan.cli import language
from cxplan.files import ENVIRONMENT_ERRORS, cannot_write

EPILOG = "Every command has --help with an example. Plans live in plans/*.yaml."

# One module per command (edit.py holds both `done` and `set-status`). Modules load
# only when their command runs: `cxplan validate` should not pay for importing MkDocs.
COMMANDS: dict[str, str] = {
    "validate": "validate:command",
    "schema": "schema:command",
    "powermap": "powermap:command",
    "status": "status:command",
    "done": "edit:done_command",
    "set-status": "edit:set_status_command",
    "touch": "touch:command",
    "review": "review:command",
    "export": "export:command",
    "import": "import_:command",
    "digest": "digest:command",
    "history": "history:command",
    "build": "build:command",
    "serve": "serve:command",
    "render": "render:command",
    "stitch": "stitch:command",
    "init": "init:command",
    "new": "new:command",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            module_name, attribute = COMMANDS[name].split(":")
            module = importlib.import_module(f"cxplan.cli.{module_name}")
            command = getattr(module, attribute)
            language.translate_command(name, command)
            self.add_command(command, name)
        return super().get_command(ctx, name)


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(language.text("cli.version", version=__version__))
        ctx.exit()


@click.group(
    cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_show_version, help="Show the version and exit.")
def cli() -> None:
    """Customer-experience plans as YAML: validate, map, track and publish them.

    Example: cxplan validate plans/ && cxplan build
    """


def all_commands() -> dict[str, click.Command]:
    """Every command, loaded (for generated docs and tests)."""
    ctx = click.Context(cli, info_name="cxplan")
    found = {name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)}
    return {name: command for name, command in found.items() if command is not None}


# The collector's youngest generation is looked at after 7,000 new objects rather than
# Python's 700: a command allocates millions (the plans' models, MkDocs' pages), nearly
# all kept to the end, and each look walks them in vain. A one-plan build spends about
# 20 ms less, a rebuild of 100 plans 50 ms; garbage in cycles is still collected,
# later (and after each site built).
GC_THRESHOLDS = (7000, 10, 10)


def main() -> None:
    gc.set_threshold(*GC_THRESHOLDS)
    language.choose(sys.argv[1:])
    language.translate_command("cxplan", cli)
    try:
        _run_command()
    finally:
        # Everything the command made is still alive when it ends, and Python's exit
        # walks it all for garbage in cycles, in vain (the system takes the memory
        # back): a one-plan build spent 80 ms in that walk, 14% of its time. Frozen,
        # those objects are left to the system; objects freed by their last reference
        # (files closed, buffers flushed) and exit handlers are as before.
        gc.freeze()


def _run_command() -> None:
    try:
        code = cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo(language.text("cli.aborted"), err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(1)
    except OSError as exc:
        # A read-only folder, a full disk, a missing permission: the environment, not a
        # bug. Every writer turns these into its own message; this is the backstop.
        if exc.errno not in ENVIRONMENT_ERRORS:
            _crash()
        click.echo(f"cxplan: {cannot_write(exc).in_language(language.current())}", err=True)
        sys.exit(1)
    except Exception:  # the last line of defence: never a traceback on a user's screen
        _crash()
    sys.exit(code if isinstance(code, int) else 0)


def _crash() -> None:
    with tempfile.NamedTemporaryFile(
        "w", prefix="cxplan-crash-", suffix=".log", delete=False
    ) as log:
        traceback.print_exc(file=log)
    click.echo(language.text("cli.internal_error", log=log.name), err=True)
    sys.exit(3)
