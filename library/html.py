"""The markup of library images, from what an edition froze (`Image.frozen`).

Everything here reads the frozen dict, not the model: editions are rendered
from their snapshot, so a later edit in the library never changes a
published page until the brief is published again.
"""

from django.core.files.storage import default_storage
from django.utils.html import format_html

# The body column is at most ~45rem wide; on phones the image spans the screen.
FIGURE_SIZES = "(min-width: 60rem) 45rem, 100vw"


def srcset(frozen: dict) -> str:
    return ", ".join(
        f"{default_storage.url(r['name'])} {r['width']}w"
        for r in frozen.get("renditions", [])
    )


def fallback(frozen: dict) -> dict:
    """The size to give as src (the largest), or {} for an image with none."""
    sizes = frozen.get("renditions") or []
    return sizes[-1] if sizes else {}


def img_tag(frozen: dict, *, sizes: str = FIGURE_SIZES, eager: bool = False) -> str:
    largest = fallback(frozen)
    if not largest:
        return ""
    focal_x, focal_y = frozen.get("focal", [50, 50])
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" '
        'loading="{}" decoding="async" class="{}">',
        default_storage.url(largest["name"]),
        srcset(frozen),
        sizes,
        largest["width"],
        largest["height"],
        frozen.get("alt", ""),
        "eager" if eager else "lazy",
        focal_class(int(focal_x), int(focal_y)),
    )


def focal_class(x: int, y: int) -> str:
    """A class for the focal point in thirds (the CSP allows no inline style):
    a cropped cover keeps that part of the picture in view."""
    column = "left" if x < 34 else "right" if x > 66 else "center"
    row = "top" if y < 34 else "bottom" if y > 66 else "middle"
    return f"focal-{column}-{row}"


def credit_line(frozen: dict) -> str:
    parts = [p for p in (frozen.get("credit", ""), frozen.get("licence", "")) if p]
    return " · ".join(parts)
