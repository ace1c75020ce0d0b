from __future__ import annotations

import click


@click.command("init")
def command() -> int:
    """(Not available yet.)"""
    click.echo("cxplan init: not available yet", err=True)
    return 1
