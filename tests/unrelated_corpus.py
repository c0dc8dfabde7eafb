"""A corpus of three articles about unrelated things, published the same day: three
stories whatever the grouping, for tests of how a digest is shown."""

from __future__ import annotations

from pathlib import Path

DAY = "2026-03-02"

ARTICLES = {
    "croissant": (
        "Lyon bakery wins the national croissant prize",
        "A family bakery in Lyon won France's national croissant prize on Monday. The jury "
        "tasted four hundred pastries and praised the butter, the layers and the crust.\n\n"
        "The bakers start at three every morning and laminate the dough by hand.",
    ),
    "volcano": (
        "Eruption on the Reykjanes peninsula closes the Blue Lagoon",
        "Lava broke through a fissure near Grindavik in Iceland overnight. Geologists at the "
        "Meteorological Office said the eruption was the largest on the peninsula this year.\n\n"
        "The Blue Lagoon spa was evacuated and the road to the town was closed.",
    ),
    "chess": (
        "Norway beats India in the last round of the chess olympiad",
        "Norway's grandmasters won the final round of the chess olympiad in Budapest. The "
        "decisive game was a long rook endgame on the first board.\n\n"
        "The team captain thanked the arbiters and the organisers.",
    ),
}


def write_unrelated_corpus(folder: Path) -> Path:
    """Writes the three articles (with front matter) into ``folder``; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (title, body) in ARTICLES.items():
        front = f"---\ntitle: {title}\npublished: {DAY}\nsource: {name}.example\n---\n\n"
        (folder / f"{name}.md").write_text(front + body + "\n")
    return folder
