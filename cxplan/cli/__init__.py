"""The `cxplan` command: a thin shell that parses options and calls one function.

Exit codes, decided here only: 0 success, 1 the input has a problem, 2 a usage error
(click), 3 an internal failure (with a log to attach to a bug report), 130 Ctrl-C.
"""

from __future__ import annotations

import sys
import tempfile
import traceback

import click

from cxplan import __version__
from cxplan.cli import (
    build,
    edit,
    export,
    history,
    init,
    new,
    powermap,
    render,
    schema,
    serve,
    status,
    validate,
)

EPILOG = "Every command has --help with an example. Plans live in plans/*.yaml."


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cxplan")
def cli() -> None:
    """Customer-experience plans as YAML: validate, map, track and publish them."""


# One module per command (edit.py holds both `done` and `set-status`).
COMMANDS = (validate, schema, powermap, build, serve, render, status, export, history, init, new)
for _module in COMMANDS:
    cli.add_command(_module.command)
for _command in edit.commands:
    cli.add_command(_command)


def main() -> None:
    try:
        code = cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
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
    except Exception:  # the last line of defence: never a traceback on a user's screen
        with tempfile.NamedTemporaryFile(
            "w", prefix="cxplan-crash-", suffix=".log", delete=False
        ) as log:
            traceback.print_exc(file=log)
        click.echo(f"cxplan: internal error. Please report it with the log {log.name}", err=True)
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)
