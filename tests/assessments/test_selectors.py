"""The rating pages' suggested focus follows the reports' priorities exactly."""

from assessments.models import Rating
from assessments.selectors import AssessmentPage, CompetencyItem, suggested_focus
from frameworks.models import Competency, ProficiencyLevel, RoleTarget
from reports import gaps

# (code, target, importance, self rating): priorities A 3×1, B 1×3, C 2×2, D none, E unrated.
CASES = [
    ("A", 3, "helpful", 0),
    ("B", 2, "essential", 1),
    ("C", 3, "important", 1),
    ("D", 1, "essential", 4),
    ("E", 3, "essential", None),
]


def item(code, target, importance, rating) -> CompetencyItem:
    """A competency item as the page builds it, in memory (no database needed)."""
    level = None if rating is None else ProficiencyLevel(value=rating)
    return CompetencyItem(
        competency=Competency(code=code, title=code),
        rating=Rating(level=level),
        target=RoleTarget(target=ProficiencyLevel(value=target), importance=importance),
    )


def test_suggested_focus_is_the_reports_top_priorities():
    items = [item(*case) for case in CASES]
    page = AssessmentPage(None, [], [], items, rated=4, total=5)
    lines = [
        gaps.Line("D1", "Domain", code, code, target, importance, rating)
        for code, target, importance, rating in CASES
    ]
    report = gaps.individual_report(lines)
    expected = [result.line.code for result in report.top_priorities]
    assert expected == ["C", "B", "A"]  # equal priorities: the more important first
    assert [i.competency.code for i in suggested_focus(page)] == expected
    assert [i.competency.code for i in suggested_focus(page, limit=1)] == ["C"]
