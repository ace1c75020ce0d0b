"""MkDocs hook: adds the generated reference pages to the project's docs.

The pages exist only in memory (`File.generated`), never in docs/: their one source
of truth is the code they document (see `cxplan.render.reference`). Listed in
mkdocs.yml under `hooks:`.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from cxplan.cli import cli
from cxplan.render.reference import reference_pages


# Before the cxplan plugin (priority 0): when mkdocs.yml has no `nav`, the plugin builds
# the navigation from the pages present, and the reference pages should be among them.
@event_priority(100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    for path, markdown in reference_pages(cli).items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            # A hand-written copy would go stale; the generated page wins.
            files.remove(existing)
        files.append(File.generated(config, path, content=markdown))
    return files
