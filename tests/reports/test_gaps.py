"""
The gap arithmetic of reports/gaps.py: hand-computed examples, then its laws as
hypothesis properties. Nothing here touches the database.
"""

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.gaps import (
    WEIGHTS,
    Figures,
    Line,
    Member,
    carried_over,
    individual_report,
    percent,
    readiness,
    team_report,
    top_priorities,
)


def line(code, target, importance, self_rating, reviewer=None, previous=None, domain="INF"):
    position = {"INF": 1, "LRN": 2}.get(domain, 3)
    return Line(
        domain_code=domain,
        domain_title=f"Domain {domain}",
        code=code,
        title=f"Competency {code}",
        target=target,
        importance=importance,
        self_rating=self_rating,
        reviewer_rating=reviewer,
        previous_self_rating=previous,
        domain_position=position,
    )


# Hand-computed: see the comments beside each figure.
EXAMPLE = [
    line("INF-1", 3, "essential", 1, reviewer=2, previous=0),  # self gap 2 × 3 = 6
    line("INF-2", 2, "important", 4, reviewer=3, previous=4),  # self surplus 2
    line("INF-3", 4, "helpful", None, reviewer=2),  # unrated; reviewer gap 2 × 1 = 2
    line("LRN-1", 3, "important", 2, reviewer=2, domain="LRN"),  # gap 1 × 2 = 2
    line("LRN-2", 0, "helpful", 0, domain="LRN"),  # target 0, reviewer unrated
]


def by_code(report):
    return {c.line.code: c for c in report.competencies}


# --- examples ---------------------------------------------------------------------------


def test_competency_figures():
    c = by_code(individual_report(EXAMPLE))
    assert (c["INF-1"].self_side.gap, c["INF-1"].self_side.surplus) == (2, 0)
    assert c["INF-1"].self_side.priority == 6
    assert c["INF-1"].reviewer_side.priority == 3
    assert c["INF-1"].change == 1
    assert (c["INF-2"].self_side.gap, c["INF-2"].self_side.surplus) == (0, 2)
    assert c["INF-2"].change == 0
    # Unrated: no gap, no priority, no change; the reviewer's figures still count.
    assert c["INF-3"].self_side == Figures(rating=None, gap=None, surplus=None, priority=None)
    assert c["INF-3"].change is None
    assert c["INF-3"].reviewer_side.gap == 2
    assert c["LRN-1"].change is None  # no previous rating


def test_domain_and_overall_readiness():
    report = individual_report(EXAMPLE)
    inf, lrn = report.domains
    assert [inf.code, lrn.code] == ["INF", "LRN"]
    # Self INF: min(1,3) + min(4,2) + 0 (unrated) = 3 of 9 → 33.3
    assert (inf.self_side.met_points, inf.self_side.target_points) == (3, 9)
    assert inf.self_side.percent == Decimal("33.3")
    assert inf.self_side.mean_rating == Decimal("2.5")  # (1 + 4) / 2, rated only
    assert inf.self_side.mean_target == Decimal("3.0")
    assert (inf.self_side.unrated, inf.self_side.gaps) == (1, 1)
    # Reviewer INF: 2 + 2 + 2 = 6 of 9 = 66.66… → 66.6 (percentages round down)
    assert inf.reviewer_side.percent == Decimal("66.6")
    assert inf.reviewer_side.mean_rating == Decimal("2.3")  # 7 / 3
    assert (inf.reviewer_side.unrated, inf.reviewer_side.gaps) == (0, 2)
    # Self LRN: 2 + 0 of 3
    assert lrn.self_side.percent == Decimal("66.6")
    assert lrn.self_side.mean_target == Decimal("1.5")
    assert lrn.reviewer_side.unrated == 1
    # Overall self: 5 of 12 = 41.66… → 41.6; mean rating 7 / 4 = 1.75 → 1.8 (half up)
    assert report.self_side.percent == Decimal("41.6")
    assert report.self_side.mean_rating == Decimal("1.8")
    assert report.self_side.mean_target == Decimal("2.4")
    assert (report.self_side.unrated, report.self_side.gaps) == (1, 2)
    # Overall reviewer: 8 of 12; mean 9 / 4 = 2.25 → 2.3
    assert report.reviewer_side.percent == Decimal("66.6")
    assert report.reviewer_side.mean_rating == Decimal("2.3")
    assert (report.reviewer_side.unrated, report.reviewer_side.gaps) == (1, 3)


def test_priorities_and_strengths():
    report = individual_report(EXAMPLE)
    assert [c.line.code for c in report.top_priorities] == ["INF-1", "LRN-1"]
    # Priority 2 twice: LRN-1 (important) before INF-3 (helpful).
    assert [c.line.code for c in report.reviewer_top_priorities] == ["INF-1", "LRN-1", "INF-3"]
    # Met with a target above 0: INF-2 only (LRN-2's target is 0).
    assert [c.line.code for c in report.top_strengths] == ["INF-2"]
    assert [c.line.code for c in report.reviewer_top_strengths] == ["INF-2"]


def test_priority_ties_break_on_weight_then_gap_then_code():
    lines = [
        line("B", 3, "helpful", 1),  # 2 × 1 = 2
        line("A", 3, "helpful", 1),  # 2 × 1 = 2, code A first
        line("C", 2, "important", 1),  # 1 × 2 = 2, heavier
        line("D", 5, "helpful", 0),  # 5 × 1 = 5
    ]
    assert [c.line.code for c in individual_report(lines).top_priorities] == ["D", "C", "A", "B"]


def test_strengths_order_surplus_then_weight():
    lines = [
        line("A", 2, "helpful", 3),  # surplus 1
        line("B", 2, "essential", 3),  # surplus 1, essential
        line("C", 1, "helpful", 4),  # surplus 3
        line("D", 3, "essential", 3),  # met exactly
        line("E", 3, "essential", 2),  # not met
    ]
    assert [c.line.code for c in individual_report(lines).top_strengths] == ["C", "B", "A", "D"]


def test_no_reviewer_ratings_means_no_reviewer_side():
    lines = [line("A", 3, "essential", 2), line("B", 1, "helpful", 1)]
    report = individual_report(lines)
    assert report.reviewer_side is None
    assert not report.has_reviewer
    assert report.domains[0].reviewer_side is None
    assert report.reviewer_top_priorities == ()


def test_zero_targets_and_no_lines_are_ready():
    assert readiness([line("A", 0, "helpful", None)]).percent == Decimal("100.0")
    empty = individual_report([])
    assert empty.self_side.percent == Decimal("100.0")
    assert empty.self_side.mean_rating is None and empty.self_side.mean_target is None
    assert empty.domains == ()


def test_percent_rounds_down():
    assert percent(2, 3) == Decimal("66.6")
    assert percent(9999, 10000) == Decimal("99.9")
    assert percent(1, 1) == Decimal("100.0")


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="importance"):
        line("A", 3, "critical", 1)
    with pytest.raises(ValueError, match="negative"):
        line("A", 3, "helpful", -1)
    with pytest.raises(ValueError, match="twice"):
        individual_report([line("A", 3, "helpful", 1), line("A", 3, "helpful", 2)])
    with pytest.raises(ValueError, match="side"):
        readiness([line("A", 3, "helpful", 1)], side="lead")


def test_every_importance_of_the_framework_models_has_a_weight():
    from django.apps import apps

    if not apps.ready:
        pytest.skip("Django is not set up (run without -p no:django to check this)")
    from frameworks.models import RoleTarget

    assert sorted(RoleTarget.Importance.values) == sorted(WEIGHTS)


def member(key, *lines):
    return Member(key=key, name=key.title(), lines=tuple(lines))


def test_team_coverage_and_single_points_of_failure():
    team = team_report(
        [
            member(
                "ann",
                line("X", 3, "essential", 3),  # meets
                line("Y", 2, "helpful", 1),
                line("Z", 2, "essential", 2),  # meets
            ),
            member(
                "bob",
                line("X", 2, "important", 1),
                line("Y", 2, "helpful", 0),
                line("Z", 3, "essential", 4),  # meets
            ),
            member("cy", line("X", 3, "helpful", None), line("Y", 1, "helpful", None)),
            member("dee"),  # not assessed yet
        ]
    )
    cov = {c.code: c for c in team.coverage}
    assert (cov["X"].people, cov["X"].met, cov["X"].met_by) == (3, 1, ("ann",))
    assert cov["X"].essential_for == 1
    assert cov["X"].single_point_of_failure  # essential for Ann, met by Ann alone
    assert (cov["Y"].met, cov["Y"].single_point_of_failure) == (0, False)  # never essential
    assert (cov["Z"].met, cov["Z"].essential_for) == (2, 2)
    assert not cov["Z"].single_point_of_failure
    assert [c.code for c in team.single_points_of_failure] == ["X"]
    assert (team.people, team.assessed) == (4, 3)
    # INF over everyone: X 3+1+0, Y 1+0+0, Z 2+3 = 10 of targets 8+5+5 = 18 → 55.5
    (inf,) = team.domains
    assert (inf.readiness.met_points, inf.readiness.target_points) == (10, 18)
    assert inf.readiness.percent == Decimal("55.5")
    assert inf.readiness.unrated == 2
    assert team.overall == inf.readiness


def test_team_reviewer_side_uses_reviewer_ratings():
    team = team_report(
        [
            member("ann", line("X", 3, "essential", 3, reviewer=2)),
            member("bob", line("X", 3, "essential", 1, reviewer=3)),
        ],
        side="reviewer",
    )
    assert team.coverage[0].met_by == ("bob",)
    assert team.side == "reviewer"


def test_duplicate_team_members_are_refused():
    with pytest.raises(ValueError, match="twice"):
        team_report([member("ann"), member("ann")])


def test_change_across_versions_follows_the_lineage():
    """2026.1 levels carried to 2026.2 codes: same, split, merged (highest), recoded, new."""
    earlier = {"INF.1": 2, "INF.6": 3, "LRN.3": 1, "LRN.7": 4, "WEL.1": None, "WEL.5": 2}
    lineage = [
        ("INF.1", "INF.1", "same"),
        ("INF.6", "INF.6", "split"),
        ("INF.11", "INF.6", "split"),
        ("LRN.3", "LRN.7", "merged"),
        ("LRN.3", "LRN.3", "merged"),
        ("WEL.5", "WEL.5", "merged"),
        ("WEL.5", "WEL.1", "merged"),  # unrated last year: the other level counts
        ("INF.20", "INF.9", "recoded"),
        ("INF.21", "INF.99", "same"),  # nothing rated under that code
    ]
    assert carried_over(earlier, lineage) == {
        "INF.1": (2, ""),
        "INF.6": (3, "split from INF.6"),
        "INF.11": (3, "split from INF.6"),
        "LRN.3": (4, "merged from LRN.3, LRN.7"),
        "WEL.5": (2, "merged from WEL.1, WEL.5"),
        "INF.20": (None, "was INF.9"),
        "INF.21": (None, ""),
    }
    # A new competency has no row, so no earlier level and no change.
    assert "LRN.9" not in carried_over(earlier, lineage)
    assert carried_over({}, []) == {}
    # The change itself: self − carried level, as on one version.
    merged = line("LRN.3", 4, "essential", 3, previous=4)
    assert individual_report([merged]).competencies[0].change == -1


# --- laws -------------------------------------------------------------------------------

levels = st.integers(min_value=0, max_value=5)
maybe_level = st.none() | levels


@st.composite
def line_sets(draw, min_size=0):
    """Lines of one assessment: unique codes over up to three domains."""
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["INF", "LRN", "WEL"]),
                levels,
                st.sampled_from(sorted(WEIGHTS)),
                maybe_level,
                maybe_level,
                maybe_level,
            ),
            min_size=min_size,
            max_size=12,
        )
    )
    return [
        line(f"{domain}-{i}", target, importance, own, reviewer, previous, domain=domain)
        for i, (domain, target, importance, own, reviewer, previous) in enumerate(rows)
    ]


def summaries(report):
    for side in (report.self_side, report.reviewer_side):
        if side is not None:
            yield side
    for domain in report.domains:
        yield domain.self_side
        if domain.reviewer_side is not None:
            yield domain.reviewer_side


@given(line_sets())
def test_readiness_is_between_0_and_100(lines):
    for summary in summaries(individual_report(lines)):
        assert Decimal(0) <= summary.percent <= Decimal(100)
        assert summary.met_points <= summary.target_points


@given(line_sets())
def test_no_gap_where_rating_meets_target_and_never_gap_with_surplus(lines):
    for c in individual_report(lines).competencies:
        for fig in (c.self_side, c.reviewer_side):
            if fig.rating is None:
                assert fig.gap is fig.surplus is fig.priority is None
                continue
            assert (fig.gap > 0) == (fig.rating < c.line.target)
            assert not (fig.gap > 0 and fig.surplus > 0)
            assert fig.gap - fig.surplus == c.line.target - fig.rating


@given(line_sets(), st.sampled_from(["self", "reviewer"]))
def test_priorities_are_ordered_and_bounded_by_the_gap(lines, side):
    results = individual_report(lines).competencies
    ranked = top_priorities(results, side, limit=None)
    figs = [c.self_side if side == "self" else c.reviewer_side for c in ranked]
    # Every importance weighs at least 1 and at most 3 (helpful … essential).
    assert all(f.gap <= f.priority <= 3 * f.gap for f in figs)
    assert [f.priority for f in figs] == sorted((f.priority for f in figs), reverse=True)
    below = {x.code for x in lines if x.rating(side) is not None and x.rating(side) < x.target}
    assert {c.line.code for c in ranked} == below


IMPORTANCE_ORDER = ["helpful", "important", "essential"]


@given(line_sets(min_size=1), st.data())
def test_a_more_important_gap_has_a_higher_priority(lines, data):
    """Raising one competency's importance raises its priority if it has a gap, else not."""
    i = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    rank = IMPORTANCE_ORDER.index(lines[i].importance)
    higher = data.draw(st.sampled_from(IMPORTANCE_ORDER[rank:]))
    raised = [*lines[:i], dataclasses.replace(lines[i], importance=higher), *lines[i + 1 :]]
    code = lines[i].code
    (before,) = (c.self_side for c in individual_report(lines).competencies if c.line.code == code)
    (after,) = (c.self_side for c in individual_report(raised).competencies if c.line.code == code)
    assert after.gap == before.gap
    if before.gap:
        assert (after.priority > before.priority) == (higher != lines[i].importance)
    else:
        assert after.priority == before.priority


@given(line_sets(min_size=1))
def test_readiness_is_100_iff_every_target_met(lines):
    if sum(x.target for x in lines) == 0:
        return
    all_met = all((x.self_rating or 0) >= x.target for x in lines)
    assert (individual_report(lines).self_side.percent == 100) == all_met


@given(line_sets(min_size=1), st.data())
def test_raising_one_rating_never_lowers_readiness(lines, data):
    i = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    old = lines[i].self_rating
    new = data.draw(st.integers(min_value=0 if old is None else old, max_value=6))
    raised = [*lines[:i], dataclasses.replace(lines[i], self_rating=new), *lines[i + 1 :]]
    before, after = individual_report(lines), individual_report(raised)
    assert after.self_side.percent >= before.self_side.percent
    for d_before, d_after in zip(before.domains, after.domains, strict=True):
        assert d_after.self_side.percent >= d_before.self_side.percent


@given(line_sets(), st.randoms(use_true_random=False))
def test_order_of_lines_does_not_matter(lines, rnd):
    shuffled = lines[:]
    rnd.shuffle(shuffled)
    assert individual_report(shuffled) == individual_report(lines)


@st.composite
def teams(draw):
    """Up to five members over one shared set of competencies, each with own targets."""
    codes = draw(st.lists(st.sampled_from(["A", "B", "C", "D"]), unique=True, max_size=4))
    members = []
    for n in range(draw(st.integers(min_value=0, max_value=5))):
        held = draw(st.lists(st.sampled_from(codes), unique=True)) if codes else []
        lines = [
            line(
                code,
                draw(levels),
                draw(st.sampled_from(sorted(WEIGHTS))),
                draw(maybe_level),
                draw(maybe_level),
                domain="INF" if code in "AB" else "LRN",
            )
            for code in held
        ]
        members.append(member(f"m{n}", *lines))
    return members


def met(x: Line, side: str) -> bool:
    """The DESIGN's "meets the target", an unrated competency counting as level 0."""
    return (x.rating(side) or 0) >= x.target


@given(teams(), st.sampled_from(["self", "reviewer"]))
def test_coverage_is_bounded_and_flags_follow_the_members(members, side):
    """Counted from the members themselves, never from the report's own fields."""
    team = team_report(members, side)
    for c in team.coverage:
        assert c.met <= c.people <= len(members)
        assert c.essential_for <= c.people
        held = [x for m in members for x in m.lines if x.code == c.code]
        essential = any(x.importance == "essential" for x in held)
        met_by = sum(1 for x in held if met(x, side))
        if not essential or met_by >= 2:
            assert not c.single_point_of_failure
        elif met_by == 0:
            assert c.single_point_of_failure
    for d in team.domains:
        assert Decimal(0) <= d.readiness.percent <= Decimal(100)


@given(teams(), st.sampled_from(["self", "reviewer"]))
def test_a_member_who_meets_everything_removes_single_points_of_failure(members, side):
    """A newcomer who meets every competency at the top level adds none and may remove some."""
    codes = {x.code: x for m in members for x in m.lines}
    star = member(
        "star",
        *(
            line(code, x.target, "helpful", 5, reviewer=5, domain=x.domain_code)
            for code, x in codes.items()
        ),
    )
    before = {c.code for c in team_report(members, side).single_points_of_failure}
    after = {c.code for c in team_report([*members, star], side).single_points_of_failure}
    assert after <= before
    met_once = {
        code
        for code in before
        if sum(1 for m in members for x in m.lines if x.code == code and met(x, side)) == 1
    }
    assert before - after == met_once


@given(teams(), st.randoms(use_true_random=False))
def test_order_of_members_and_lines_does_not_matter(members, rnd):
    shuffled = []
    for m in members:
        lines = list(m.lines)
        rnd.shuffle(lines)
        shuffled.append(dataclasses.replace(m, lines=tuple(lines)))
    rnd.shuffle(shuffled)
    assert team_report(shuffled) == team_report(members)
