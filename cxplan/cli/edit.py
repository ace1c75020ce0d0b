from __future__ import annotations

import click

# `done` and `set-status` land here.
commands: list[click.Command] = []
