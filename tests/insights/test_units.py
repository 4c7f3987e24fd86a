"""Charts, the privacy floor and the ``insights`` options, tested alone."""

from __future__ import annotations

import re

import pytest

from fireside.insights.charts import Point, bar_chart, dot_chart, line_chart
from fireside.insights.metrics import censored_quantile, wilson
from fireside.insights.options import OptionsError, insights_options
from fireside.insights.privacy import PrivacyError, check_min_group, suppress


def test_min_group_floor() -> None:
    assert check_min_group(5) == 5 and check_min_group(12) == 12
    for bad in (4, 0, -1, True, 5.5):
        with pytest.raises(PrivacyError, match="at least 5"):
            check_min_group(bad)  # type: ignore[arg-type]
    with pytest.raises(OptionsError, match=r"insights\.min_group"):
        insights_options({"min_group": 3})
    assert insights_options(None).min_group == 5
    assert insights_options({"publish": True, "target_posts_per_week": 3}).publish is True
    with pytest.raises(OptionsError, match="expected true or false"):
        insights_options({"publish": "yes"})


def test_suppress_blanks_and_lists() -> None:
    row: dict[str, object] = {"a": 3, "b": 4, "suppressed": []}
    suppress(row, ("b", "a"), 4, 5)
    assert row == {"a": None, "b": None, "suppressed": ["a", "b"]}
    shown: dict[str, object] = {"a": 0, "suppressed": []}
    suppress(shown, ("a",), 0, 5)  # nobody: nothing about anyone to hide
    suppress(shown, ("a",), 5, 5)
    assert shown == {"a": 0, "suppressed": []}


def test_censored_quantile_keeps_open_items() -> None:
    assert censored_quantile([2.0, 4.0, 192.0, None, None], 0.5) == 192.0
    assert censored_quantile([2.0, None, None], 0.5) is None
    assert censored_quantile([1.0, 3.0], 0.5) == 2.0
    assert censored_quantile([1.0, 2.0, 3.0, 4.0], 0.75) == 3.0
    assert censored_quantile([], 0.5) is None


def test_wilson() -> None:
    assert wilson(0, 2) == (0.0, 0.66)
    assert wilson(3, 3) == (0.44, 1.0)
    assert wilson(0, 0) is None


POINTS = [Point("Jan", 3), Point("Feb", None), Point("Mar", 7, "warm-up"), Point("Apr", 5)]


@pytest.mark.parametrize("chart", [
    lambda: bar_chart("c1", "Posts <per> month", "Three & seven.", POINTS, target=4,
                      target_label="target 4"),
    lambda: line_chart("c1", "Posts <per> month", "Three & seven.", POINTS),
    lambda: dot_chart("c1", "Posts <per> month", "Three & seven.",
                      [Point("Dana", 0.5, "", 0.2, 0.8), Point("Raj", None, "no posts")]),
])
def test_chart_is_accessible_and_deterministic(chart: object) -> None:
    svg = chart()  # type: ignore[operator]
    assert svg == chart()  # type: ignore[operator]
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="fs-chart" ')
    assert 'role="img" aria-labelledby="c1-t" aria-describedby="c1-d"' in svg
    assert '<title id="c1-t">Posts &lt;per&gt; month</title>' in svg
    assert '<desc id="c1-d">Three &amp; seven.</desc>' in svg
    assert "style=" not in svg and "fill=\"#" not in svg  # colours come from CSS classes
    assert not re.search(r"\d\.\d{2,}", svg)  # fixed precision


def test_line_breaks_at_gaps_and_noted_points() -> None:
    svg = line_chart("a1", "t", "d", [Point("1", 1), Point("2", 2), Point("3", None),
                                      Point("4", 4), Point("5", 5, "sync gap"), Point("6", 6),
                                      Point("7", 7)])
    assert svg.count("<polyline") == 2  # 1-2 and 6-7; 4 stands alone, 5 is hollow
    assert svg.count('class="fs-dot fs-hollow"') == 1
    assert "5: 5 (sync gap)" in svg


def test_bar_gap_for_missing_values() -> None:
    svg = bar_chart("p", "t", "d", POINTS)
    assert svg.count("<rect") == 3
    assert 'class="fs-mark fs-muted"' in svg  # the warm-up bar


def test_reply_links_from_the_registry() -> None:
    from fireside.discussions.platforms import PLATFORMS
    from fireside.discussions.snapshots import Reply, Thread, Totals, parse_time
    from fireside.insights.inbox import reply_url

    yammer = PLATFORMS["yammer"]
    assert yammer.reply_url("https://www.yammer.com/northwind.example/threads/2000000001",
                            "31000001") == "https://www.yammer.com/northwind.example/messages/31000001"
    assert yammer.reply_url("https://www.yammer.com/#/threads/show?threadId=2", "3") is None
    assert yammer.reply_url("https://web.yammer.com/main/threads/eyJfdHlwZSI6", "3") is None
    when = parse_time("2026-01-01T00:00:00Z")
    reply = Reply("x1", None, "1", "n", when, "b", "text", 0, False)
    thread = Thread("yammer", "2", "https://web.yammer.com/main/threads/abc", when,
                    Totals(1, 0, 1), (reply,))
    assert reply_url(thread, reply) == thread.url  # no reply link: the thread
