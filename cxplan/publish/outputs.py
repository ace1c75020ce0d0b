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

from cxplan.config import WorkspaceConfig


def workspace_inputs(
    root: Path, settings: WorkspaceConfig, mkdocs: Mapping[str, Any]
) -> dict[str, Path]:
    """The input folders of a workspace, by the name a message gives them."""
    docs = mkdocs.get("docs_dir") if isinstance(mkdocs.get("docs_dir"), str) else "docs"
    inputs = {
        "plans folder": root / settings.plans_dir,
        "docs folder": root / str(docs),
        "templates folder": root / settings.templates_dir,
    }
    if settings.customer_intro:
        inputs["customer_intro file"] = root / settings.customer_intro
    inputs["workspace root"] = root  # last: the widest is named when nothing closer is
    return inputs


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def overlap(output: Path, inputs: Mapping[str, Path], *, what: str = "output folder") -> str | None:
    """Why `output` may not be written (a message naming both folders), or None."""
    out = output.resolve()
    shown = f"{what} {output}" if out == output.absolute() else f"{what} {output} ({out})"
    real = {name: folder.resolve() for name, folder in inputs.items()}
    # The closest relation wins: "is the workspace root" rather than "contains the plans".
    for name, folder in inputs.items():
        if out == real[name]:
            return f"the {shown} is the {name} {folder}; choose another folder"
    for name, folder in inputs.items():
        if _inside(out, real[name]) and name != "workspace root":
            return f"the {shown} is inside the {name} {folder}; choose another folder"
    for name, folder in reversed(list(inputs.items())):  # the widest first: the root
        if _inside(real[name], out):
            return (
                f"the {shown} contains the {name} {folder}; building there would "
                "replace it; choose another folder"
            )
    return None
