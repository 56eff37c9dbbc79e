"""
Server-side SVG charts of the reports, drawn by pygal from the dataclasses of
``reports.gaps``.

Each chart is a self-contained SVG document with a ``<title>`` and a ``<desc>`` (the text
alternative; the page shows the same numbers as a table). pygal always writes an inline
``<script>`` with its configuration and comments with its web address; both are removed,
so what remains is shapes, text and one ``<style>`` element, with no script and no
reference to anything outside the document.

The page and the PDF embed a chart the same way: ``<img src="{{ chart.data_uri }}"
alt="{{ chart.description }}">``. As an image the SVG is its own document: the page's
Content-Security-Policy allows it through ``img-src data:``, its ``<style>`` applies only
inside it (an inline SVG's ``<style>`` would need a nonce), no script could run in it, and
WeasyPrint draws the same bytes in the PDF.
"""

import base64
import re
from dataclasses import dataclass
from xml.etree import ElementTree as ET

import pygal
from pygal.style import Style

from reports.gaps import CompetencyResult, IndividualReport

SVG_NS = "http://www.w3.org/2000/svg"

# System fonts only (a web font would be a fetch); colours that stay apart for common
# colour-vision deficiencies (Okabe–Ito blue, vermillion, grey). The target is also dashed
# and every chart has a legend and a table beside it, so colour is never the only signal.
SELF_COLOUR, REVIEWER_COLOUR, TARGET_COLOUR = "#0072B2", "#D55E00", "#6E6E6E"
FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"

# Characters that XML 1.0 cannot hold at all (not even escaped), e.g. most control codes.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Chart:
    """A rendered chart: the SVG text and its words."""

    title: str  # also the SVG's <title>
    description: str  # the text alternative: the SVG's <desc> and the <img>'s alt
    svg: str  # a complete SVG document

    @property
    def data_uri(self) -> str:
        return svg_data_uri(self.svg)


def svg_data_uri(svg: str) -> str:
    """The SVG as a base64 ``data:`` URI for an ``<img src>``."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _style(*colours: str) -> Style:
    return Style(
        font_family=FONT,
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1a1a1a",
        foreground_strong="#000000",
        foreground_subtle="#595959",
        colors=colours,
        opacity="1",
        opacity_hover="1",
        guide_stroke_color="#b3b3b3",
        major_guide_stroke_color="#808080",
        title_font_size=18,
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=14,
        value_font_size=13,
        no_data_font_size=20,
    )


def _common(title: str, colours: tuple[str, ...]) -> dict:
    return {
        "title": title,
        "style": _style(*colours),
        "js": [],  # no script files (the inline config script is removed afterwards)
        "disable_xml_declaration": True,
        "explicit_size": True,  # width and height, so <img> and WeasyPrint size it alike
        "legend_at_bottom": True,
        "legend_at_bottom_columns": len(colours),
        "truncate_legend": -1,
        "pretty_print": False,
    }


def _finish(chart: pygal.graph.graph.Graph, name: str, title: str, description: str) -> Chart:
    """Render, then keep only what is safe to embed; add the <desc>."""
    # pygal scopes its CSS under "#chart-<uuid>" with a random uuid; a fixed one makes the
    # same figures give the same bytes (page, PDF and tests agree).
    chart.uuid = name
    # Parsing pygal's own serialisation (no DTD, no entities); the parser drops comments.
    root = ET.fromstring(chart.render(is_unicode=True))  # noqa: S314
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{{{SVG_NS}}}script":
                parent.remove(child)
    # Plain tag names with one xmlns on the root (ElementTree would write "ns0:" prefixes).
    for element in root.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG_NS}}}")
    root.set("xmlns", SVG_NS)
    root.set("role", "img")
    title_el = root.find("title")
    desc = ET.Element("desc")
    desc.text = description
    root.insert(list(root).index(title_el) + 1, desc)
    svg = ET.tostring(root, encoding="unicode")
    return Chart(title=title, description=description, svg=svg)


def _pct(value) -> str:
    return f"{value}%"


def readiness_radar(report: IndividualReport, title: str = "Readiness by domain") -> Chart:
    """Per domain: self readiness, reviewer readiness (when reviewed) and the target, 100%."""
    title = _text(title)
    labels = [_text(d.title) for d in report.domains]
    parts = [
        "self " + ", ".join(f"{_text(d.title)} {_pct(d.self_side.percent)}" for d in report.domains)
    ]
    colours = [SELF_COLOUR]
    if report.has_reviewer:
        colours.append(REVIEWER_COLOUR)
        parts.append(
            "reviewer "
            + ", ".join(f"{_text(d.title)} {_pct(d.reviewer_side.percent)}" for d in report.domains)
        )
    colours.append(TARGET_COLOUR)
    description = f"{title}, percent of target reached: " + "; ".join(parts) + "; target 100%."

    chart = pygal.Radar(
        **_common(title, tuple(colours)),
        width=640,
        height=520,
        range=(0, 100),
        fill=False,
        dots_size=4,
        stroke_style={"width": 3},
        y_labels=[0, 25, 50, 75, 100],
        truncate_label=28,
        no_data_text="No domains",
    )
    chart.x_labels = labels
    chart.value_formatter = lambda v: f"{v}%"
    chart.add("Self", [float(d.self_side.percent) for d in report.domains])
    if report.has_reviewer:
        chart.add("Reviewer", [float(d.reviewer_side.percent) for d in report.domains])
    chart.add(
        "Target",
        [100.0] * len(report.domains),
        stroke_style={"dasharray": "8, 5", "width": 2},
        show_dots=False,
    )
    return _finish(chart, "readiness", title, description)


def largest_gaps(report: IndividualReport, limit: int = 10, title: str = "Largest gaps") -> Chart:
    """
    The competencies with the largest self-rated gaps (ties: heavier importance, then
    code), with the reviewer's gap beside each when the assessment was reviewed.
    """
    title = _text(title)
    rows = _largest(report.competencies, limit)
    has_reviewer = report.has_reviewer
    if rows:
        description = f"{title}, in levels below target: " + "; ".join(
            f"{_label(r)} self {r.self_side.gap}"
            + (f", reviewer {_reviewer_gap(r)}" if has_reviewer else "")
            for r in rows
        )
    else:
        description = f"{title}: none, every rated competency meets its target."

    colours = (SELF_COLOUR, REVIEWER_COLOUR) if has_reviewer else (SELF_COLOUR,)
    chart = pygal.HorizontalBar(
        **_common(title, colours),
        width=720,
        height=max(220, 110 + 36 * len(rows) * (2 if has_reviewer else 1)),
        print_values=True,
        print_values_position="top",
        truncate_label=40,
        no_data_text="No gaps: every rated target is met",
    )
    if rows:  # whole levels on the axis (pygal fails on y_labels without data)
        top = max(max(r.self_side.gap, r.reviewer_side.gap or 0) for r in rows)
        chart.y_labels = list(range(top + 1))
    # HorizontalBar draws the first label at the bottom; reverse so the largest is on top.
    rows = rows[::-1]
    chart.x_labels = [_label(r) for r in rows]
    if rows:
        chart.add("Self gap", [r.self_side.gap for r in rows])
        if has_reviewer:
            chart.add("Reviewer gap", [r.reviewer_side.gap for r in rows])
    return _finish(chart, "gaps", title, description)


def _largest(results, limit: int) -> list[CompetencyResult]:
    with_gap = [r for r in results if (r.self_side.gap or 0) > 0]
    with_gap.sort(key=lambda r: (-r.self_side.gap, -r.line.weight, r.line.code))
    return with_gap[:limit]


def _text(value: str) -> str:
    """
    User-written text made fit for a one-line label: characters that XML cannot hold are
    dropped and runs of white space become one space. Escaping is the serialiser's job.
    """
    return " ".join(NOT_XML.sub("", value).split())


def _label(result: CompetencyResult) -> str:
    return _text(f"{result.line.code} {result.line.title}")


def _reviewer_gap(result: CompetencyResult):
    gap = result.reviewer_side.gap
    return "not rated" if gap is None else gap


def readiness_trend(
    points: list[tuple[str, float]], title: str = "Readiness across cycles"
) -> Chart:
    """
    Overall readiness (percent of target reached) per cycle, oldest first, as a line
    against the dashed 100% target. ``points`` are (cycle title, percent).
    """
    title = _text(title)
    labels = [_text(label) for label, _ in points]
    if points:
        description = f"{title}, percent of target reached: " + "; ".join(
            f"{label} {_pct(value)}" for label, (_, value) in zip(labels, points, strict=True)
        )
    else:
        description = f"{title}: no cycle has submitted assessments yet."
    chart = pygal.Line(
        **_common(title, (SELF_COLOUR, TARGET_COLOUR)),
        width=720,
        height=360,
        range=(0, 100),
        dots_size=5,
        stroke_style={"width": 3},
        print_values=True,
        truncate_label=24,
        no_data_text="No cycles yet",
    )
    chart.value_formatter = lambda v: f"{v}%"
    if points:  # pygal fails on y_labels without data
        chart.y_labels = [0, 25, 50, 75, 100]
        chart.x_labels = labels
        chart.add("Readiness", [float(value) for _, value in points])
        chart.add(
            "Target",
            [100.0] * len(points),
            stroke_style={"dasharray": "8, 5", "width": 2},
            show_dots=False,
            print_values=False,
        )
    return _finish(chart, "trend", title, description)


def district_trend(district, trend, basis) -> Chart:
    """The district's readiness per cycle (``reports.district.TrendPoint``), on ``basis``."""
    return readiness_trend(
        [(point.cycle.title, point.percent) for point in trend],
        title=f"Readiness across cycles, {district.name} ({basis.label.lower()})",
    )
