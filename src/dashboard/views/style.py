"""The app's own CSS (assets/*.css): read once per process, not on every rerun."""

from __future__ import annotations

from functools import cache

from dashboard.settings import PROJECT_ROOT


@cache
def css(file_name: str) -> str:
    """A <style> block for st.html: base.css always (contrast, focus), presentatie.css in presentation mode."""
    return f"<style>{(PROJECT_ROOT / 'assets' / file_name).read_text(encoding='utf-8')}</style>"
