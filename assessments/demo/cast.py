"""
Who works in the demo districts: teams, people, reporting lines, and where each person's
assessment stands.

Northfield USD is a district of 28 technology staff in four teams, each led by a lead who
reviews its members; the leads report to the CTO, who leads infrastructure & security
and reports to the superintendent. It grew over its three cycles (``since``): 19 people
took part two years ago, 23 last year, 28 this year. Riverside USD stays small: one team
of six, two cycles. The accounts of the README (cto@, netadmin@, tech@, coach@,
support@, privacy@, superintendent@, hr@, admin@) are in both.
"""

from dataclasses import dataclass, field

from assessments.models import Assessment
from assessments.roles import Role

Status = Assessment.Status
# This year's assessment exists but nothing in it is rated yet.
NOT_STARTED = "not started"

CTO = "district-cto"
NETWORK = "network-security-admin"
COACH = "instructional-tech-coordinator"
SUPPORT = "tech-support-specialist"
PRIVACY = "data-privacy-lead"


@dataclass(frozen=True)
class Person:
    mailbox: str  # the part before @<district>.example
    name: str
    job_role: str = ""  # a role profile code of the framework; "" for those never assessed
    team: str = ""
    roles: tuple[str, ...] = (Role.STAFF,)
    leads: bool = False  # leads ``team`` and reviews its members
    reports_to: str = ""  # mailbox of whom they report to (a lead's reviewer)
    since: int = 2  # the first cycle they took part in, in years before this one
    now: str = NOT_STARTED  # where this year's assessment stands (a status or NOT_STARTED)
    # Past cycles (years back) in which they never acknowledged their finalized assessment.
    unacknowledged: tuple[int, ...] = ()
    rated: float = 0.5  # the share of competencies rated while it is a draft
    skill: float = 0.0  # their levels against their role's targets, in levels (+ above)
    bias: int = 0  # self-ratings above (+1) or below (-1) what their reviewer sees

    @property
    def staff(self) -> bool:
        return bool(self.job_role)


@dataclass(frozen=True)
class TeamSpec:
    name: str
    # How much stronger (+) or weaker (−) than the district the team is, per domain code.
    strength: dict[str, float] = field(default_factory=dict)
    # Competencies that one member holds and the rest of the team does not: code → mailbox.
    scarce: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DistrictSpec:
    slug: str
    name: str
    teams: tuple[TeamSpec, ...]
    people: tuple[Person, ...]
    cycles: tuple[int, ...]  # years before this one, oldest first (0: this year's, open)


OFFICE = (
    Person("superintendent", "Susan Intendente", roles=(Role.SUPERINTENDENT,)),
    Person("hr", "Harriet Reyes", roles=(Role.HR,)),
    Person("admin", "Adam Minter", roles=(Role.ADMIN,)),
)

INFRASTRUCTURE = "Infrastructure & Security"
INSTRUCTION = "Instructional Technology"
DATA = "Data & Privacy"
HELP = "Support"

NORTHFIELD_TEAMS = (
    TeamSpec(
        INFRASTRUCTURE,
        strength={"INF": 0.7, "LRN": -0.4},
        scarce={"INF.3": "netadmin", "INF.10": "lena.okafor"},
    ),
    TeamSpec(
        INSTRUCTION,
        strength={"INF": -0.4, "LRN": 0.7, "WEL": 0.3},
        scarce={"LRN.12": "aisha.rahman", "LRN.10": "ben.carter"},
    ),
    TeamSpec(
        DATA,
        strength={"WEL": 0.5, "LRN": 0.2},
        scarce={"WEL.4": "elena.fischer", "INF.7": "privacy"},
    ),
    TeamSpec(
        HELP,
        strength={"INF": 0.3, "LRN": -0.3, "WEL": -0.2},
        scarce={"INF.11": "ivy.tran"},
    ),
)

# One row per person, kept on one line each to read as a table.
# fmt: off
S, R, F, A, D = (Status.SUBMITTED, Status.RETURNED, Status.FINALIZED, Status.ACKNOWLEDGED,
                 Status.DRAFT)

NORTHFIELD_STAFF = (
    # Infrastructure & security, led by the CTO.
    Person("cto", "Casey Torres", CTO, INFRASTRUCTURE, leads=True, reports_to="superintendent", now=S),
    Person("netadmin", "Nadia Adams", NETWORK, INFRASTRUCTURE, now=S, skill=0.3, bias=-1),
    Person("marcus.webb", "Marcus Webb", NETWORK, INFRASTRUCTURE, now=A, skill=0.2),
    Person("victor.alvarez", "Victor Alvarez", NETWORK, INFRASTRUCTURE, now=F, unacknowledged=(2, 1), skill=-0.2, bias=1),
    Person("lena.okafor", "Lena Okafor", NETWORK, INFRASTRUCTURE, since=1, now=S),
    Person("diego.santos", "Diego Santos", SUPPORT, INFRASTRUCTURE, now=A, unacknowledged=(2,), skill=0.1),
    Person("owen.price", "Owen Price", NETWORK, INFRASTRUCTURE, since=0, skill=-1.0, bias=1),
    # Instructional technology.
    Person("maria.delgado", "Maria Delgado", COACH, INSTRUCTION, leads=True, reports_to="cto", now=S, skill=0.4),
    Person("coach", "Colin Ochoa", COACH, INSTRUCTION, now=R, skill=-0.2, bias=1),
    Person("aisha.rahman", "Aisha Rahman", COACH, INSTRUCTION, now=A, skill=0.3, bias=-1),
    Person("ben.carter", "Ben Carter", COACH, INSTRUCTION, now=F, unacknowledged=(1,)),
    Person("hannah.lee", "Hannah Lee", COACH, INSTRUCTION, since=1, now=D, rated=0.8, skill=-0.3),
    Person("olivia.chen", "Olivia Chen", SUPPORT, INSTRUCTION, now=S, unacknowledged=(2,), bias=1),
    Person("jamal.wright", "Jamal Wright", COACH, INSTRUCTION, since=0, skill=-0.8),
    # Data & privacy.
    Person("elena.fischer", "Elena Fischer", PRIVACY, DATA, leads=True, reports_to="cto", now=A, skill=0.4, bias=-1),
    Person("privacy", "Priya Vance", PRIVACY, DATA, now=A, skill=0.2),
    Person("tom.nguyen", "Tom Nguyen", PRIVACY, DATA, since=1, now=F, skill=-0.4),
    Person("rachel.boateng", "Rachel Boateng", COACH, DATA, now=S, unacknowledged=(2,)),
    Person("kevin.osei", "Kevin Osei", NETWORK, DATA, now=R, unacknowledged=(2,), skill=-0.1, bias=1),
    Person("sofia.marin", "Sofia Marin", SUPPORT, DATA, since=0, now=D, rated=0.3, skill=-0.6),
    # Support.
    Person("frank.mills", "Frank Mills", SUPPORT, HELP, leads=True, reports_to="cto", now=S, skill=0.3),
    Person("support", "Sam Porter", SUPPORT, HELP, now=F),
    Person("tech", "Toni Lindqvist", SUPPORT, HELP, now=D, skill=-0.3),
    Person("ivy.tran", "Ivy Tran", SUPPORT, HELP, now=A, skill=0.2, bias=-1),
    Person("luis.romero", "Luis Romero", SUPPORT, HELP, now=S, unacknowledged=(2,), skill=-0.2, bias=1),
    Person("nora.walsh", "Nora Walsh", SUPPORT, HELP, since=1, now=D, rated=0.65, skill=-0.4),
    Person("ethan.brooks", "Ethan Brooks", SUPPORT, HELP, since=0, skill=-0.9),
    Person("zoe.park", "Zoe Park", SUPPORT, HELP, since=0, now=D, rated=0.2, skill=-0.8, bias=1),
)

TECHNOLOGY = "Technology"
RIVERSIDE_STAFF = (
    Person("cto", "Casey Torres", CTO, TECHNOLOGY, leads=True, reports_to="superintendent", since=1, now=S),
    Person("netadmin", "Nadia Adams", NETWORK, TECHNOLOGY, since=1, now=S),
    Person("coach", "Colin Ochoa", COACH, TECHNOLOGY, since=1, now=R),
    Person("support", "Sam Porter", SUPPORT, TECHNOLOGY, since=1, now=F),
    Person("tech", "Toni Lindqvist", SUPPORT, TECHNOLOGY, since=1, now=D),
    Person("privacy", "Priya Vance", PRIVACY, TECHNOLOGY, since=1, now=A),
)
# fmt: on

DISTRICTS = (
    DistrictSpec(
        "northfield",
        "Northfield USD",
        teams=NORTHFIELD_TEAMS,
        people=(*NORTHFIELD_STAFF, *OFFICE),
        cycles=(2, 1, 0),
    ),
    DistrictSpec(
        "riverside",
        "Riverside USD",
        teams=(TeamSpec(TECHNOLOGY),),
        people=(*RIVERSIDE_STAFF, *OFFICE),
        cycles=(1, 0),
    ),
)
