"""
The made-up levels of the demo: plausible, varied, and the same on every run.

A person's level for a competency, as their reviewer sees it, is their role's target moved
by the person's ``skill``, their team's ``strength`` in the domain, the year (the district
improves in infrastructure and in learning from cycle to cycle while well-being slips:
staff turnover on the alert rota) and a competency's own effect (new asks such as AI
guidance start low), plus noise, rounded onto the 0–5 scale. Their self-rating is that
level, or one above or below it, more often above for those who rate themselves high
(``bias`` +1) and below for those who rate themselves low. A team's scarce competency is
met by its one holder and by nobody else, on both sides: a single point of failure.
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass

from .cast import Person, TeamSpec

TOP = 5
NOISE = 0.6  # standard deviation of a level around what the effects give, in levels
# Per domain, the effect of the cycle, indexed by years before this one (0, 1, 2).
YEAR_EFFECT = {"INF": (0.0, -0.5, -1.0), "LRN": (0.0, -0.5, -1.0), "WEL": (-0.6, -0.3, 0.0)}
COMPETENCY_EFFECT = {"LRN.12": -0.7, "LRN.9": -0.4, "INF.13": -0.3}
# How often a self-rating is one above / one below the reviewer's level, by ``bias``.
SELF_VIEW = {1: (0.35, 0.05), 0: (0.1, 0.1), -1: (0.05, 0.35)}


@dataclass(frozen=True)
class Levels:
    own: int  # the person's self-rating
    reviewer: int  # their reviewer's level


@dataclass(frozen=True)
class Competency:
    """One competency of an assessment, as the level model needs it."""

    pk: int
    code: str
    domain: str  # domain code
    target: int  # the target of the person's role


def levels(
    rng: random.Random,
    *,
    person: Person,
    team: TeamSpec,
    years_back: int,
    competencies: Iterable[Competency],
) -> dict[int, Levels]:
    """Each competency's self and reviewer levels for ``person`` in one cycle, by pk."""
    found = {}
    for c in competencies:
        effect = (
            person.skill
            + team.strength.get(c.domain, 0.0)
            + YEAR_EFFECT[c.domain][years_back]
            + COMPETENCY_EFFECT.get(c.code, 0.0)
        )
        seen = _clamp(round(c.target + effect + rng.gauss(0, NOISE)))
        own = _clamp(seen + _self_view(rng, person.bias))
        holder = team.scarce.get(c.code)
        if holder == person.mailbox:
            seen, own = max(seen, c.target), max(own, c.target)
        elif holder is not None:
            seen, own = min(seen, c.target - 1), min(own, c.target - 1)
        found[c.pk] = Levels(own=_clamp(own), reviewer=_clamp(seen))
    return found


def _self_view(rng: random.Random, bias: int) -> int:
    above, below = SELF_VIEW[bias]
    draw = rng.random()
    return 1 if draw < above else -1 if draw < above + below else 0


def _clamp(level: int) -> int:
    return max(0, min(TOP, level))
