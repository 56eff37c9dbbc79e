"""
The rules a framework must meet before anything is written, checked on plain data:
something in it, unique codes, references that resolve, levels on the scale. Field-level
rules (lengths, choices, URLs) are left to the models (``store.Built.field_errors``).
"""

import re

from .data import FrameworkData, Report

# Something that a browser would take for a tag: "<b", "</", "<!", "<?".
MARKUP = re.compile(r"<\s*[a-zA-Z/!?]")
MAX_LEVEL = 10  # the database's level_value_at_most_10 constraint


def validate(fd: FrameworkData, report: Report) -> None:
    """Add to ``report`` every problem of ``fd``; errors mean that nothing may be written."""
    competencies = fd.competencies()
    if not competencies:
        report.error("The framework is empty: it has no competencies.")

    scale = _unique(report, "level", [(lv.value, lv.origin.at("value")) for lv in fd.levels])
    for level in fd.levels:
        if not 0 <= level.value <= MAX_LEVEL:
            report.error(
                f"{level.origin.at('value')}: level {level.value} is outside 0–{MAX_LEVEL}."
            )
    _unique(report, "domain code", [(d.code, d.origin.at("code")) for d in fd.domains])
    _groups(report, fd)
    known = _unique(
        report, "competency code", [(c.code, c.origin.at("code")) for c in competencies]
    )
    _unique(report, "role code", [(r.code, r.origin.at("code")) for r in fd.roles])

    for c in competencies:
        _competency_rules(report, c, scale)
    for r in fd.roles:
        _unique(
            report,
            f"target of role {r.code}",
            [(t.competency, t.origin.at("competency")) for t in r.targets],
        )
        for t in r.targets:
            if t.competency not in known:
                report.error(
                    f"{t.origin.at('competency')}: role {r.code} has a target for "
                    f"{t.competency}, which is not a competency of this framework."
                )
            _on_scale(report, scale, t.level, t.origin.at("level"))
        _plain_text(report, r.title, r.origin.at("title"))
    for d in fd.domains:
        _plain_text(report, d.title, d.origin.at("title"))
    _plain_text(report, fd.title, fd.origin.at("title"))


def _competency_rules(report: Report, c, scale: dict) -> None:
    """One competency: its descriptors on the scale and its parts not repeated."""
    where = c.origin.at("code")
    _unique(
        report,
        f"descriptor level of {c.code}",
        [(x.level, x.origin.at("level")) for x in c.descriptors],
    )
    for x in c.descriptors:
        _on_scale(report, scale, x.level, x.origin.at("level"))
    _unique(
        report,
        f"resource title of {c.code}",
        [(r.title, r.origin.at("title")) for r in c.resources],
    )
    _unique(
        report,
        f"reference of {c.code}",
        [((x.scheme, x.code), x.origin.at("code")) for x in c.crosswalk],
    )
    _plain_text(report, c.title, where)


def _groups(report: Report, fd: FrameworkData) -> None:
    """A group names a domain that comes before it (so no group is its own ancestor)."""
    seen = set()
    for d in fd.domains:
        if d.parent and d.parent not in seen:
            report.error(
                f"{d.origin.at('parent')}: the domain {d.parent!r} that {d.code} belongs to "
                "must come before it."
            )
        seen.add(d.code)


def _unique(report: Report, what: str, keyed: list[tuple[object, str]]) -> dict:
    """The first place of every key; a repeated key is an error naming both places."""
    first = {}
    for key, where in keyed:
        if key in first:
            shown = " ".join(map(str, key)) if isinstance(key, tuple) else key
            report.error(f"{where}: the {what} {shown} is used twice (first at {first[key]}).")
        else:
            first[key] = where
    return first


def _on_scale(report: Report, scale: dict, value: int, where: str) -> None:
    if value not in scale:
        report.error(f"{where}: level {value} is not on the framework's scale.")


def _plain_text(report: Report, text: str, where: str) -> None:
    if MARKUP.search(text):
        report.warn(
            f"{where}: the title contains HTML markup; it is kept as plain text and "
            "always shown escaped, never as markup."
        )
