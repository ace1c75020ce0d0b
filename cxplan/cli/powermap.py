from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cxplan.analyse.powermap import build_graph
from cxplan.cli.language import current as command_language
from cxplan.cli.options import as_of_option, config_option, resolve_as_of
from cxplan.config import load_config
from cxplan.diagnostics import format_text
from cxplan.files import WriteFailed, cannot_write, write_atomically
from cxplan.i18n import label, languages
from cxplan.model.build import load_plan
from cxplan.render.graph_formats import to_dot, to_graphml, to_mermaid, to_node_link_json
from cxplan.render.powermap_svg import grid_svg, map_svg
from cxplan.render.svg import one_line
from cxplan.render.terminal import terminal_text

FORMATS = ("map", "grid", "graphml", "json", "dot", "mermaid")


@click.command("powermap")
@click.argument("plan_file", type=click.Path(path_type=Path))
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="map", show_default=True,
    help="map and grid are SVG pictures; graphml and json load into graph tools and "
    "networkx; dot (Graphviz) and mermaid are text to paste elsewhere.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Write to this file, replaced in one step (default: standard output).",
)
@click.option(
    "--language", type=click.Choice(languages()), default=None,
    help="Language of the labels (default: the plan's, else the site's, else English).",
)
@as_of_option
@config_option
def command(
    plan_file: Path, output_format: str, output: Path | None, language: str | None,
    as_of: dt.date | None, config_file: Path | None,
) -> int:
    """Draw or export a plan's power map: who decides, reports to and influences whom.

    The map marks relationships with no contact for longer than the workspace's
    stale_days setting (90 by default) as of --as-of (default: today).

    \b
    Examples:
      cxplan powermap plans/northwind-logistics.yaml -o northwind-map.svg
      cxplan powermap plans/northwind-logistics.yaml --format grid --language es
      cxplan powermap plans/northwind-logistics.yaml --format mermaid
    """
    config, _, problems = load_config(config_file)
    if problems:
        click.echo(format_text(problems, 0, language or "en"), err=True, nl=False)
        return 1
    loaded, diagnostics = load_plan(plan_file, display=str(plan_file))
    if loaded is None:
        click.echo(format_text(diagnostics, 1, language or config.language or "en"), err=True,
                   nl=False)
        return 1
    plan = loaded.plan
    language = language or plan.plan.language or config.language or "en"
    title = label(language, "powermap.map.title").format(customer=one_line(plan.plan.customer))
    if output_format == "map":
        text = map_svg(plan, language, as_of=resolve_as_of(as_of), stale_days=config.stale_days)
    elif output_format == "grid":
        text = grid_svg(plan, language)
    elif output_format == "graphml":
        text = to_graphml(build_graph(plan))
    elif output_format == "json":
        text = to_node_link_json(build_graph(plan))
    elif output_format == "dot":
        text = to_dot(build_graph(plan), language, title)
    else:
        text = to_mermaid(build_graph(plan), language, title)
    if output is None:
        # Plan text reaches the terminal: no control character of it is obeyed there.
        click.echo(terminal_text(text), nl=False)
        return 0
    try:
        write_atomically(output, text.encode("utf-8"))
    except (OSError, WriteFailed) as exc:
        shown = command_language()
        reason = exc.in_language(shown) if isinstance(exc, WriteFailed) \
            else cannot_write(exc, output).in_language(shown)
        click.echo(f"cxplan powermap: {reason}", err=True)
        return 1
    return 0
