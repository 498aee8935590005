"""One colour per municipality, the same on every page.

Based on Okabe-Ito (distinguishable for colour-blind readers), with the light tones (orange, sky blue,
yellow) darkened so every colour has at least 3:1 contrast on white (WCAG 2.1, 1.4.11).
"""

from __future__ import annotations

MUNICIPALITY_COLORS = {
    "GM0361": "#0072B2",  # Alkmaar
    "GM0375": "#B36B00",  # Beverwijk
    "GM0377": "#009E73",  # Bloemendaal
    "GM0392": "#CC79A7",  # Haarlem
    "GM0396": "#2E86AB",  # Heemskerk
    "GM0397": "#D55E00",  # Heemstede
    "GM0453": "#000000",  # Velsen
    "GM0473": "#8A7A00",  # Zandvoort
}
REFERENCE_COLOR = "#6b6b6b"  # regions, comparison groups, Nederland
FALLBACK_COLORS = ["#332288", "#117733", "#882255", "#1B7F6B", "#999933", "#AA4499"]


def color_for(area_code: str, level: str, index: int = 0) -> str:
    if area_code in MUNICIPALITY_COLORS:
        return MUNICIPALITY_COLORS[area_code]
    if level in ("land", "regio", "referentie"):
        return REFERENCE_COLOR
    return FALLBACK_COLORS[index % len(FALLBACK_COLORS)]
