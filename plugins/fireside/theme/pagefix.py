"""Small fixes to the HTML mkdocs-material writes around every page (no MkDocs import).

Each fix is a narrow string edit on one known element, applied after the page is rendered,
so no Material partial has to be copied (copies break on Material upgrades).
"""

from __future__ import annotations

from fireside.core.links import quoteattr

#: Material's search dialog (``partials/search.html``): a ``role="dialog"`` without a name
#: (axe ``aria-dialog-name``).
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def name_search_dialog(html: str, label: str) -> str:
    """Give Material's search dialog an accessible name (``aria-label``)."""
    named = _SEARCH_DIALOG[:-1] + f" aria-label={quoteattr(label)}>"
    return html.replace(_SEARCH_DIALOG, named, 1)


def add_to_head(html: str, markup: str) -> str:
    """Insert ``markup`` just before ``</head>``."""
    return html.replace("</head>", markup + "</head>", 1) if markup else html
