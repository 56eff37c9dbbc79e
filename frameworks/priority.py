"""
How much a gap matters: the importance weights, a competency's gap and priority, and the
order in which priorities are listed, defined once (the rest of the arithmetic is in
``reports.gaps``).

Plain Python, no Django: the pure gap arithmetic (``reports.gaps``) and the rating pages'
suggested focus (``assessments.selectors``) both use it, so it sits in ``frameworks``,
beside the importance it weighs and below both of them in the imports.
"""

# Keyed by ``RoleTarget.Importance`` values (tests/reports/test_gaps.py checks they agree).
WEIGHTS = {"essential": 3, "important": 2, "helpful": 1}


def gap(target: int, rating: int) -> int:
    """How many levels ``rating`` is below ``target`` (0 when it meets it)."""
    return max(0, target - rating)


def priority(gap: int, importance: str) -> int:
    """priority = gap × weight(importance)."""
    return gap * WEIGHTS[importance]


def priority_order(*, gap: int, importance: str, code: str) -> tuple[int, int, int, str]:
    """
    Sort key that lists the largest priority first; ties broken by importance weight,
    then gap (both larger first), then competency code.
    """
    return (-priority(gap, importance), -WEIGHTS[importance], -gap, code)
