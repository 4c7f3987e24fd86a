"""Run a MkDocs build for a command (``fireside publish``), keeping its warnings."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from fireside.publish.report import BuildResult


class _Collect(logging.Handler):
    """Keeps the build's warnings for the report."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(config_file: Path, *, strict: bool = True) -> BuildResult:
    """Build the site of ``config_file`` as ``mkdocs build`` does; never raises for a failure."""
    result = BuildResult()
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    level = logger.level
    logger.setLevel(logging.WARNING)  # the report wants the warnings
    try:
        config = load_config(str(config_file), strict=strict)
        result.site_dir = str(config.site_dir)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        result.errors = collect.messages
        result.failure = str(exc)
        return result
    finally:
        logger.removeHandler(collect)
        logger.setLevel(level)
    result.warnings = collect.messages
    result.site_url = str(config.site_url or "")
    return result
