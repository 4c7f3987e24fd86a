"""Small inline-SVG charts: bars, lines, and dots with whiskers.

Engine-independent, no dependencies, no JavaScript. Every chart is an ``<svg role="img">``
named by its ``<title>`` (``aria-labelledby``) and described by a one-sentence ``<desc>``
(``aria-describedby``), and
is followed by its data as an HTML table. Marks take their colours from Material's CSS
variables through classes (``fs-mark``, ``fs-text`` …), so the palette and dark mode apply.
Numbers are formatted with fixed precision and ids come from the caller, so the same data
gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Point", "bar_chart", "data_table", "dot_chart", "line_chart", "scroll_region"]

WIDTH = 640
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 30, 14, 34


@dataclass(frozen=True)
class Point:
    """One labelled value; ``None`` is a gap (suppressed or no data)."""

    label: str
    value: float | None
    note: str = ""
    """``warm-up``, ``sync gap`` … : drawn muted and repeated in the tooltip."""
    low: float | None = None
    high: float | None = None


def _f(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _open(ident: str, title: str, desc: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fs-chart" viewBox="0 0 {WIDTH} '
        f'{height}" role="img" aria-labelledby="{ident}-t" aria-describedby="{ident}-d" '
        'focusable="false">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(desc)}</desc>',
    ]


def _nice_max(value: float) -> float:
    """A round axis maximum at or above ``value``."""
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return float(step * exponent)
    return float(10 * exponent)  # pragma: no cover


def _axis(top: float, height: int, *, percent: bool, x0: int = PAD_LEFT) -> list[str]:
    """Horizontal grid lines with their values at 0, ½ and the top."""
    out: list[str] = []
    base = height - PAD_BOTTOM
    span = base - PAD_TOP
    for fraction in (0.0, 0.5, 1.0):
        y = base - span * fraction
        value = top * fraction
        text = f"{value * 100:.0f}%" if percent else (f"{value:g}" if value % 1 else
                                                        f"{value:.0f}")
        out.append(f'<line class="fs-grid" x1="{x0}" x2="{WIDTH - PAD_RIGHT}" y1="{_f(y)}" '
                   f'y2="{_f(y)}"/>')
        out.append(f'<text class="fs-text" aria-hidden="true" x="{x0 - 6}" y="{_f(y + 4)}" '
                   f'text-anchor="end">{text}</text>')
    return out


def _label_every(width: float) -> int:
    """Show every n-th x label so labels (about 52 units wide) do not overlap."""
    return max(1, math.ceil(52 / max(width, 1)))


def bar_chart(ident: str, title: str, desc: str, points: Sequence[Point], *,
              target: float | None = None, target_label: str = "", percent: bool = False,
              height: int = 220) -> str:
    """Vertical bars; ``None`` values leave a labelled gap, ``target`` draws a dashed line."""
    values = [p.value for p in points if p.value is not None]
    top = _nice_max(max([*values, target or 0, 0.0]))
    if percent:
        top = 1.0
    base = height - PAD_BOTTOM
    span = base - PAD_TOP
    slot = (WIDTH - PAD_LEFT - PAD_RIGHT) / max(len(points), 1)
    every = _label_every(slot)
    out = _open(ident, title, desc, height) + _axis(top, height, percent=percent)
    for i, point in enumerate(points):
        x = PAD_LEFT + i * slot
        centre = x + slot / 2
        tip = f"{point.label}: {_shown(point.value, percent)}" + (
            f" ({point.note})" if point.note else "")
        if point.value is None:
            out.append(f'<text class="fs-text fs-gap" aria-hidden="true" x="{_f(centre)}" '
                       f'y="{_f(base - 6)}" text-anchor="middle">\u2013</text>')
        else:
            h = span * point.value / top
            muted = " fs-muted" if point.note else ""
            out.append(f'<rect class="fs-mark{muted}" x="{_f(x + slot * 0.15)}" '
                       f'y="{_f(base - h)}" width="{_f(slot * 0.7)}" height="{_f(h)}">'
                       f'<title>{escape(tip)}</title></rect>')
        if i % every == 0:
            out.append(f'<text class="fs-text" aria-hidden="true" x="{_f(centre)}" '
                       f'y="{base + 18}" text-anchor="middle">{escape(point.label)}</text>')
    if target is not None:
        y = base - span * target / top
        out.append(f'<line class="fs-target" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" '
                   f'y1="{_f(y)}" y2="{_f(y)}"/>')
        out.append(f'<text class="fs-text fs-strong" aria-hidden="true" '
                   f'x="{WIDTH - PAD_RIGHT}" y="{_f(y - 5)}" text-anchor="end">'
                   f'{escape(target_label)}</text>')
    return "".join([*out, "</svg>"])


def line_chart(ident: str, title: str, desc: str, points: Sequence[Point], *,
               height: int = 220) -> str:
    """A line through the values; it breaks at ``None`` and at noted points, which are drawn
    as hollow dots so a sync gap or warm-up never reads as a drop."""
    values = [p.value for p in points if p.value is not None]
    top = _nice_max(max([*values, 0.0]))
    base = height - PAD_BOTTOM
    span = base - PAD_TOP
    slot = (WIDTH - PAD_LEFT - PAD_RIGHT) / max(len(points), 1)
    every = _label_every(slot)
    out = _open(ident, title, desc, height) + _axis(top, height, percent=False)
    runs: list[list[tuple[float, float]]] = [[]]
    dots: list[str] = []
    for i, point in enumerate(points):
        centre = PAD_LEFT + i * slot + slot / 2
        if i % every == 0:
            out.append(f'<text class="fs-text" aria-hidden="true" x="{_f(centre)}" '
                       f'y="{base + 18}" text-anchor="middle">{escape(point.label)}</text>')
        if point.value is None or point.note:
            runs.append([])
        if point.value is None:
            dots.append(f'<text class="fs-text fs-gap" aria-hidden="true" x="{_f(centre)}" '
                        f'y="{_f(base - 6)}" text-anchor="middle">\u2013</text>')
            continue
        y = base - span * point.value / top
        if not point.note:
            runs[-1].append((centre, y))
        tip = f"{point.label}: {_shown(point.value, False)}" + (
            f" ({point.note})" if point.note else "")
        kind = "fs-dot fs-hollow" if point.note else "fs-dot"
        dots.append(f'<circle class="{kind}" cx="{_f(centre)}" cy="{_f(y)}" r="4">'
                    f'<title>{escape(tip)}</title></circle>')
    for run in runs:
        if len(run) > 1:
            coords = " ".join(f"{_f(x)},{_f(y)}" for x, y in run)
            out.append(f'<polyline class="fs-line" points="{coords}"/>')
    return "".join([*out, *dots, "</svg>"])


def dot_chart(ident: str, title: str, desc: str, points: Sequence[Point], *,
              percent: bool = True, maximum: float | None = None, target: float | None = None,
              target_label: str = "") -> str:
    """One row per label: a dot at the value and a whisker from ``low`` to ``high``; ``target``
    draws a dashed vertical line."""
    row = 30
    label_width = 150
    height = PAD_TOP + 6 + row * max(len(points), 1) + PAD_BOTTOM
    values = [v for p in points for v in (p.value, p.high) if v is not None]
    top = 1.0 if percent else (maximum or _nice_max(max([*values, 0.0])))
    left, right = label_width, WIDTH - PAD_RIGHT - 8
    width = right - left
    out = _open(ident, title, desc, height)
    base = height - PAD_BOTTOM
    for fraction in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = left + width * fraction
        value = top * fraction
        text = f"{value * 100:.0f}%" if percent else f"{value:g}"
        out.append(f'<line class="fs-grid" x1="{_f(x)}" x2="{_f(x)}" y1="{PAD_TOP}" '
                   f'y2="{base}"/>')
        out.append(f'<text class="fs-text" aria-hidden="true" x="{_f(x)}" y="{base + 18}" '
                   f'text-anchor="middle">{text}</text>')
    if target is not None:
        x = left + width * target / top
        out.append(f'<line class="fs-target" x1="{_f(x)}" x2="{_f(x)}" y1="{PAD_TOP}" '
                   f'y2="{base}"/>')
        out.append(f'<text class="fs-text fs-strong" aria-hidden="true" x="{_f(x - 4)}" '
                   f'y="{PAD_TOP - 2}" text-anchor="end">{escape(target_label)}</text>')
    for i, point in enumerate(points):
        y = PAD_TOP + 6 + row * i + row / 2
        out.append(f'<text class="fs-text fs-strong" aria-hidden="true" x="{left - 10}" '
                   f'y="{_f(y + 4)}" text-anchor="end">{escape(_clip(point.label))}</text>')
        if point.value is None:
            out.append(f'<text class="fs-text fs-gap" aria-hidden="true" x="{left + 6}" '
                       f'y="{_f(y + 4)}">{escape(point.note or "no data")}</text>')
            continue
        if point.low is not None and point.high is not None:
            x1, x2 = left + width * point.low / top, left + width * point.high / top
            out.append(f'<line class="fs-whisker" x1="{_f(x1)}" x2="{_f(x2)}" y1="{_f(y)}" '
                       f'y2="{_f(y)}"/>')
            for x in (x1, x2):
                out.append(f'<line class="fs-whisker" x1="{_f(x)}" x2="{_f(x)}" '
                           f'y1="{_f(y - 5)}" y2="{_f(y + 5)}"/>')
        tip = f"{point.label}: {_shown(point.value, percent)}"
        if point.low is not None and point.high is not None:
            low, high = _shown(point.low, percent), _shown(point.high, percent)
            tip += f" (95% interval {low}\u2013{high})"
        if point.note:
            tip += f", {point.note}"
        out.append(f'<circle class="fs-dot" cx="{_f(left + width * point.value / top)}" '
                   f'cy="{_f(y)}" r="5"><title>{escape(tip)}</title></circle>')
    return "".join([*out, "</svg>"])


def _clip(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(value: float | None, percent: bool) -> str:
    if value is None:
        return "no data"
    if percent:
        return f"{value * 100:.0f}%"
    return f"{value:g}"


def scroll_region(label: str) -> str:
    """The opening tag of a box that scrolls sideways on narrow screens: focusable and named,
    so keyboard users can scroll it too."""
    return (f'<div class="fs-scroll" tabindex="0" role="region" '
            f'aria-label="{escape(label)}">')


def data_table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The chart's data as a table (cells are already formatted text)."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join((f'<th scope="row">{escape(cell)}</th>' if j == 0 else
                          f"<td>{escape(cell)}</td>") for j, cell in enumerate(row)) + "</tr>"
        for row in rows)
    return (f'<details class="fs-data"><summary>Data table: {escape(caption)}</summary>'
            f"{scroll_region(caption)}<table><caption>{escape(caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></details>")
