from __future__ import annotations

import click


@click.command("build")
def command() -> int:
    """(Not available yet.)"""
    click.echo("cxplan build: not available yet", err=True)
    return 1
