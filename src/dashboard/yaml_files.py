"""Reading the YAML files under data/: with libyaml's C parser where PyYAML was built with it.

The pure-Python SafeLoader took most of the cold start (the catalog, the frameworks, the figures files);
CSafeLoader reads the same safe subset of YAML about ten times faster.
"""

from __future__ import annotations

from typing import IO, Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(stream: str | bytes | IO[str] | IO[bytes]) -> Any:
    """As yaml.safe_load: only plain data (no Python objects), whichever parser is available."""
    return yaml.load(stream, Loader=_LOADER)
