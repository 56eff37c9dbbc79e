"""
The report charts of reports/charts.py: well-formed SVG with a title and a description,
nothing that runs or fetches, user text escaped. Nothing here touches the database.
"""

import base64
import re
from xml.etree import ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.charts import Chart, largest_gaps, readiness_radar, readiness_trend, svg_data_uri
from reports.gaps import Line, individual_report

SVG = "{http://www.w3.org/2000/svg}"
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
NASTY = '<script>alert("x")</script> & "quoted" \'single\''


def line(code, target, self_rating, reviewer=None, domain="INF", title=None, domain_title=None):
    return Line(
        domain_code=domain,
        domain_title=domain_title or f"Domain {domain}",
        code=code,
        title=title or f"Skill {code}",
        target=target,
        importance="essential",
        self_rating=self_rating,
        reviewer_rating=reviewer,
        domain_position={"INF": 1, "LRN": 2, "WEL": 3}[domain],
    )


LINES = [
    line("INF-1", 3, 1, reviewer=2),
    line("INF-2", 2, 2, reviewer=2),
    line("LRN-1", 4, 2, reviewer=3, domain="LRN"),
    line("WEL-1", 3, 3, reviewer=1, domain="WEL"),
]


def parse(chart: Chart) -> ET.Element:
    root = ET.fromstring(chart.svg)  # noqa: S314 (our own output)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> str:
    return " ".join("".join(el.itertext()) for el in root.iter())


URI = re.compile(r"(?:https?|file|ftp|data|javascript):[^\s\"'<>)]*", re.I)


def assert_safe(chart: Chart, user_text_may_look_like_uris=False):
    """No script, no reference outside the document, a title and a description."""
    root = parse(chart)
    assert root.find(f"{SVG}title").text == chart.title
    assert root.find(f"{SVG}desc").text == chart.description
    assert "<script" not in chart.svg.lower()
    assert not any(el.tag.endswith("script") for el in root.iter())
    # Anywhere in the document, unless a label itself may say "http:" as plain text …
    if not user_text_may_look_like_uris:
        assert set(URI.findall(chart.svg)) <= NAMESPACES
    # … and in any case never where something could be fetched: attributes and styles.
    for el in root.iter():
        assert not any(name.endswith("href") or name.startswith("on") for name in el.attrib)
        assert not any(URI.search(value) for value in el.attrib.values()), el.tag
    style = "".join(el.text or "" for el in root.iter(f"{SVG}style"))
    assert not URI.search(style) and "@import" not in style and "url(" not in style
    return root


def test_radar_has_domains_sides_and_target():
    chart = readiness_radar(individual_report(LINES))
    root = assert_safe(chart)
    assert chart.title == "Readiness by domain"
    words = texts(root)
    for label in ("Domain INF", "Domain LRN", "Domain WEL", "Self", "Reviewer", "Target"):
        assert label in words
    # INF: 1 + 2 of 5 = 60%; reviewer 2 + 2 of 5 = 80%.
    assert "Domain INF 60.0%" in chart.description
    assert "reviewer Domain INF 80.0%" in chart.description


def test_radar_without_reviewer_has_no_reviewer_series():
    chart = readiness_radar(
        individual_report([line("INF-1", 3, 1), line("LRN-1", 2, 2, domain="LRN")])
    )
    words = texts(assert_safe(chart))
    assert "Self" in words and "Target" in words
    assert "Reviewer" not in words and "reviewer" not in chart.description


def test_gaps_chart_lists_largest_gaps_first():
    chart = largest_gaps(individual_report(LINES))
    words = texts(assert_safe(chart))
    assert "INF-1 Skill INF-1" in words and "LRN-1 Skill LRN-1" in words
    assert "INF-2" not in words  # met, so not a gap
    assert chart.description == (
        # Both 2 below target and essential: by code.
        "Largest gaps, in levels below target: INF-1 Skill INF-1 self 2, reviewer 1; "
        "LRN-1 Skill LRN-1 self 2, reviewer 1"
    )


def test_gaps_chart_limit_and_no_gaps():
    many = [line(f"INF-{i}", 5, 0) for i in range(15)]
    assert (
        len(
            assert_safe(largest_gaps(individual_report(many), limit=3))
            .find(f"{SVG}desc")
            .text.split(";")
        )
        == 3
    )
    none = largest_gaps(individual_report([line("INF-1", 2, 3)]))
    assert_safe(none)
    assert "none" in none.description


def test_user_text_is_escaped():
    lines = [
        line("INF-1", 3, 1, title=NASTY, domain_title=f"Infra {NASTY}"),
        line("LRN-1", 3, 0, domain="LRN", title="Data & privacy \x01 \x0b"),
    ]
    report = individual_report(lines)
    for chart in (readiness_radar(report, title=f"Pat {NASTY}"), largest_gaps(report)):
        root = assert_safe(chart)
        assert "&lt;script&gt;" in chart.svg
        assert "&amp;" in chart.svg
        words = texts(root)
        assert "<script>" in words  # the text survives as text, parsed back
    assert "Data & privacy" in texts(parse(largest_gaps(report)))


@settings(max_examples=25, deadline=None)
@given(
    st.text(max_size=60) | st.sampled_from(["http://evil.example/x.png", "data:,x", NASTY]),
    st.text(max_size=60),
)
def test_any_text_gives_well_formed_safe_svg(title, domain_title):
    report = individual_report(
        [line("INF-1", 3, 1, title=title or "x", domain_title=domain_title or "y")]
    )
    assert_safe(readiness_radar(report), user_text_may_look_like_uris=True)
    assert_safe(largest_gaps(report), user_text_may_look_like_uris=True)


def test_same_figures_give_same_bytes():
    assert readiness_radar(individual_report(LINES)) == readiness_radar(individual_report(LINES))
    assert largest_gaps(individual_report(LINES)) == largest_gaps(individual_report(LINES))


def test_data_uri_round_trip():
    chart = largest_gaps(individual_report(LINES))
    prefix = "data:image/svg+xml;base64,"
    assert chart.data_uri.startswith(prefix)
    assert base64.b64decode(chart.data_uri.removeprefix(prefix)).decode() == chart.svg
    assert svg_data_uri("<svg/>") == prefix + base64.b64encode(b"<svg/>").decode()


def test_weasyprint_draws_the_chart_without_fetching_anything():
    import weasyprint

    fetched = []

    class Refuse(weasyprint.URLFetcher):
        """Lets data: URIs through and records (and refuses) anything else."""

        def fetch(self, url, headers=None):
            if not url.startswith("data:"):
                fetched.append(url)
                raise ValueError(f"refused {url}")
            return super().fetch(url, headers)

    report = individual_report(LINES)
    html = "".join(
        f'<img src="{chart.data_uri}" alt="{chart.title}">'
        for chart in (readiness_radar(report), largest_gaps(report))
    )
    pdf = weasyprint.HTML(string=html, url_fetcher=Refuse()).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert fetched == []


LONG_DOMAIN = "Technology Infrastructure and Network Security"
LONG_TITLE = "Responsible monitoring: privacy, equity and transparency"


def label_lines(root: ET.Element) -> list[str]:
    """Each axis label as one string, its wrapped lines joined by spaces."""
    return [
        " ".join("".join(span.itertext()) for span in text.iter(f"{SVG}tspan"))
        for text in root.iter(f"{SVG}text")
        if text.find(f"{SVG}tspan") is not None
    ]


def test_radar_writes_every_domain_name_in_full_level_and_wrapped():
    report = individual_report(
        [line("INF-1", 3, 1, domain_title=LONG_DOMAIN), line("LRN-1", 3, 2, domain="LRN")]
    )
    root = parse(readiness_radar(report))
    assert LONG_DOMAIN in label_lines(root) and "Domain LRN" in label_lines(root)
    assert "…" not in readiness_radar(report).svg
    wrapped = next(t for t in root.iter(f"{SVG}text") if "Technology" in "".join(t.itertext()))
    assert len(wrapped.findall(f"{SVG}tspan")) > 1
    assert "transform" not in wrapped.attrib  # level, not turned along the spoke


def test_gaps_chart_names_in_full_and_bars_take_the_room():
    lines = [line("INF-1", 5, 1, title=LONG_TITLE), line("INF-2", 3, 2)]
    chart = largest_gaps(individual_report(lines))
    root = parse(chart)
    assert f"INF-1 {LONG_TITLE}" in label_lines(root)
    width = float(root.get("width"))
    bars = [float(r.get("width")) for r in root.iter(f"{SVG}rect") if "rect" in r.get("class", "")]
    assert max(bars) >= 0.4 * width  # the largest gap's bar, not squeezed by its label


def test_trend_keeps_its_first_and_last_points_and_values_inside_the_picture():
    points = [("2024 annual review", 61.2), ("2025 annual review", 70.4), ("2026", 100.0)]
    root = parse(readiness_trend(points))
    assert "2024 annual review" in label_lines(root)
    plot = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "plot")
    left = float(re.match(r"translate\(([\d.]+)", plot.get("transform")).group(1))
    dots = [float(c.get("cx")) for c in root.iter(f"{SVG}circle")]
    value_room = 7 * len("100.0%")  # the value written beside the last point, 13 px text
    assert left + min(dots) >= 7 * len("2024 annual") / 2  # half the first name
    assert left + max(dots) + value_room <= float(root.get("width"))


def test_charts_without_data_still_render():
    empty = individual_report([])
    assert "No domains" in texts(assert_safe(readiness_radar(empty)))
    assert_safe(largest_gaps(empty))
    assert "no cycle" in readiness_trend([]).description
