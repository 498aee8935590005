"""User-supplied text shown literally: one escape for Markdown (pages, captions, labels, .md exports), one for HTML
(the map tooltip).

Everything a user or a file supplies (a source, a dataset or file name, an indicator's name and description,
a note, a login name) goes through one of these before Streamlit renders it. Text the product ships itself
(the catalog, the frameworks) may use Markdown on purpose and is not escaped.
"""

from __future__ import annotations

import html
import re

# Characters that start formatting, links, images, HTML, entities, LaTeX, e-mail autolinks or Streamlit
# directives (:red[...], :material/icon:, emoji shortcodes).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$:!&@{}])")
# Streamlit turns a bare 'https://…', 'www.…' or 'naam@domein.nl' in text into a link, even when its
# characters are backslash-escaped: an invisible word joiner (U+2060) breaks the pattern, not the text.
_WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(\\:)(?=//)|\b(www)(?=\.)|(?<=\w)(?=\\@)")
# At the start of a line: list items (-, +, 1.) and setext heading underlines (=).
_LINE_START = re.compile(r"(?m)^([ \t]*)([-+=]|\d+(?=[.)]))")


def escape(text: object) -> str:
    """No Markdown or HTML from text a user supplied: it renders exactly as typed."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    escaped = _AUTOLINK.sub(lambda m: (m.group(1) or m.group(2) or "") + _WORD_JOINER, escaped)
    escaped = _LINE_START.sub(
        lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2).isdigit() else "\\" + m.group(2)), escaped)
    return escaped


def escape_html(text: object) -> str:
    """For HTML templates (the pydeck tooltip): <, >, & and quotes as entities."""
    return html.escape(str(text), quote=True)
