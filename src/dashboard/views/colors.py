"""One colour per municipality, the same on every page (Okabe-Ito: safe for colour-blind readers)."""

from __future__ import annotations

MUNICIPALITY_COLORS = {
    "GM0361": "#0072B2",  # Alkmaar
    "GM0375": "#E69F00",  # Beverwijk
    "GM0377": "#009E73",  # Bloemendaal
    "GM0392": "#CC79A7",  # Haarlem
    "GM0396": "#56B4E9",  # Heemskerk
    "GM0397": "#D55E00",  # Heemstede
    "GM0453": "#000000",  # Velsen
    "GM0473": "#F0E442",  # Zandvoort
}
REFERENCE_COLOR = "#6b6b6b"  # regions, comparison groups, Nederland
FALLBACK_COLORS = ["#332288", "#117733", "#882255", "#44AA99", "#999933", "#AA4499"]


def color_for(area_code: str, level: str, index: int = 0) -> str:
    if area_code in MUNICIPALITY_COLORS:
        return MUNICIPALITY_COLORS[area_code]
    if level in ("land", "regio", "referentie"):
        return REFERENCE_COLOR
    return FALLBACK_COLORS[index % len(FALLBACK_COLORS)]
