"""User-supplied text shown literally where Markdown is rendered (pages and exported .md files)."""

from __future__ import annotations

import re

# Characters that start formatting, links, images, HTML, LaTeX or Streamlit directives (:red[...]).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$:!])")


def escape(text: object) -> str:
    """No Markdown or HTML from file names, names, sources or notes: every special character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
