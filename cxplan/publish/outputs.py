"""Outputs never overlap inputs: where a site or rendered pages may be written.

A site build replaces its whole folder, so a site folder that is the plans folder (or
holds it, like the workspace root) would replace the user's plans with the site; MkDocs'
own check (`site_dir` not a parent of `docs_dir`) does not see folders it does not know
and is bypassed by the swap anyway. `cxplan render` replaces files by name, which would
mix generated pages into the inputs. So both refuse, before anything is written, an
output folder that is, contains, or is inside the plans, docs or templates folder, that
contains the `customer_intro` file, or that is or contains the workspace root (inside
the root is the usual place: `site/`). Paths are compared after resolving symlinks, so
a link cannot smuggle an overlap in.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cxplan import i18n
from cxplan.config import WorkspaceConfig


def workspace_inputs(
    root: Path, settings: WorkspaceConfig, mkdocs: Mapping[str, Any]
) -> dict[str, Path]:
    """The input folders of a workspace, by what they are (`publish.input.<name>` names
    them in a message)."""
    docs = mkdocs.get("docs_dir") if isinstance(mkdocs.get("docs_dir"), str) else "docs"
    inputs = {
        "plans": root / settings.plans_dir,
        "docs": root / str(docs),
        "templates": root / settings.templates_dir,
    }
    if settings.customer_intro:
        inputs["customer_intro"] = root / settings.customer_intro
    inputs["root"] = root  # last: the widest is named when nothing closer is
    return inputs


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def overlap(
    output: Path, inputs: Mapping[str, Path], *, what: str = "output", language: str | None = None,
) -> str | None:
    """Why `output` (an `output` or a `site` folder) may not be written, in `language`
    (a message naming both folders), or None."""
    out = output.resolve()
    path = str(output) if out == output.absolute() else f"{output} ({out})"
    real = {name: folder.resolve() for name, folder in inputs.items()}

    def refusal(relation: str, name: str) -> str:
        return i18n.text(language or i18n.DEFAULT_LANGUAGE, f"publish.overlap.{relation}",
                         what=what, output=path, input=name, folder=str(inputs[name]))

    # The closest relation wins: "is the workspace root" rather than "contains the plans".
    for name in inputs:
        if out == real[name]:
            return refusal("is", name)
    for name in inputs:
        if _inside(out, real[name]) and name != "root":
            return refusal("inside", name)
    for name in reversed(list(inputs)):  # the widest first: the root
        if _inside(real[name], out):
            return refusal("contains", name)
    return None
