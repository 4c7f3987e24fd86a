"""MkDocs side of insights: with ``insights: {publish: true}``, the report and the inboxes are
built into the site under ``/insights/`` (the same files ``fireside insights`` writes)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from fireside.core.errors import FiresideError
from fireside.core.site import NOW_ENV
from fireside.discussions.moderation import load_hidden
from fireside.discussions.snapshots import SnapshotError
from fireside.insights.options import insights_options

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from fireside.adapter.config import FiresideConfig
    from fireside.core.settings import DiscussionSettings
    from fireside.core.site import Site

#: The report's folder in the site.
INSIGHTS_DIR = "insights"


def add_insights_files(options: FiresideConfig, config: MkDocsConfig, files: Files, site: Site,
                       *, discussions: DiscussionSettings) -> None:
    """Validate ``insights:`` and, when ``publish`` is on, add the report and inbox files.

    Raises:
        PluginError: An option, the moderation file or the sync state is invalid.
    """
    try:
        insights = insights_options(dict(options.insights))
        if not insights.publish:
            return
        # Only a published report needs the rest of insights (importing it costs every build).
        from fireside.insights.inbox import inbox_files
        from fireside.insights.metrics import build_report
        from fireside.insights.report import render_report
        from fireside.insights.sources import collect

        fixed = site.options.now if options.now or os.environ.get(NOW_ENV) else None
        inputs = collect(site, discussions, insights, hidden=load_hidden(
            discussions.moderation), site_name=config.site_name, now=fixed)
    except (FiresideError, SnapshotError) as exc:
        raise PluginError(f"fireside: {exc}") from None
    pages = dict(render_report(build_report(inputs), site_name=config.site_name,
                               post_base="../"))
    pages.update(inbox_files(sorted(site.authors), inputs, site_name=config.site_name,
                             post_base="../../../"))
    for rel in sorted(pages):
        path = f"{INSIGHTS_DIR}/{rel}"
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"fireside: '{path}' is also a file in docs_dir; rename it or "
                              "turn 'insights.publish' off")
    for rel, data in sorted(pages.items()):
        files.append(File.generated(config, f"{INSIGHTS_DIR}/{rel}", content=data,
                                    inclusion=InclusionLevel.NOT_IN_NAV))
