from __future__ import annotations

import click


@click.command("powermap")
def command() -> int:
    """(Not available yet.)"""
    click.echo("cxplan powermap: not available yet", err=True)
    return 1
