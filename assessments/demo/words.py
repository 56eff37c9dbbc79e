"""What the demo's people write: evidence notes, reviewers' notes and comments, plans."""

import random

from .levels import Levels

# Evidence notes of the person, by domain code.
NOTES = {
    "INF": [
        "Rebuilt the VLAN plan for the middle schools over the summer.",
        "Ran the ransomware tabletop exercise with the district office in March.",
        "Shadowed two firewall change windows; not on my own yet.",
        "Patched the Chromebook fleet before the spring testing window.",
        "Led the switch refresh at Lincoln Elementary.",
        "Restored the SIS from backup in the spring drill, in under two hours.",
        "Wrote the runbook for the phishing report mailbox.",
    ],
    "LRN": [
        "Co-planned the 4th-grade coding unit with two teachers.",
        "Ran the August PD day on the learning management system.",
        "Sat on the selection committee for the K-2 reading app.",
        "Trained this year's new teachers on Google Classroom.",
        "Helped draft the district's AI guidance for teachers.",
        "Built the E-rate Category 2 request with the business office.",
    ],
    "WEL": [
        "On the alert-triage rota since January.",
        "Worked with the counselors on the after-hours alert protocol.",
        "Set up the content filter exception requests.",
        "Presented digital citizenship to every 6th-grade class.",
        "Still learning the escalation steps for after-hours alerts.",
        "Reviewed the monitoring vendor's data practices with legal.",
    ],
}
SHORT_NOTES = ["Still learning this.", "Did this once, with help.", "Need more practice here."]
REVIEWER_NOTES = {
    -1: [
        "I have not seen this done without support yet; let's pair on it next term.",
        "A good start, but not at this level on your own yet.",
        "Level agreed for the routine cases; the escalations still come to me.",
    ],
    1: [
        "You underrate yourself here: you carried this for the whole district.",
        "The spring incident showed this clearly. Rated higher.",
        "Colleagues come to you for this; that is the next level.",
    ],
}
OPENINGS = {
    "strong": ["An outstanding year.", "A strong year all round.", "A very good year."],
    "solid": ["A solid year.", "A steady, reliable year.", "Good progress this year."],
    "growing": [
        "A year of learning.",
        "A first full year, and a good base.",
        "Progress, unevenly.",
    ],
}
CLOSINGS = [
    "Keep going with the plan.",
    "Let's review the plan at mid-year.",
    "Thank you for the work behind these numbers.",
    "Focus on the gaps in the plan.",
]
RETURN_MESSAGES = [
    "Please add evidence notes for the network security competencies.",
    "Several ratings are at Leading without an example; add a note to each or look again.",
    "Please rate the well-being competencies again with the new alert protocol in mind.",
]
ACKNOWLEDGMENTS = [
    "Read and agreed.",
    "Read and agreed.",
    "Thank you; the plan is right.",
    "Agreed. I would like the course in the plan to be funded this year.",
    "",
]
ACTIONS = [
    "Shadow a colleague for two change windows, then lead the third.",
    "Complete the linked course and present a summary at the team meeting.",
    "Pair with a colleague on the next rollout and write up what I learned.",
    "Take the lead on one real case this semester, with a debrief after.",
    "Join the district working group and bring one proposal to it.",
]
PLAN_COMMENTS = [
    "Good plan; I will set up the shadowing.",
    "Agreed. Let's check in on this at mid-year.",
    "Agreed; the course is in this year's budget.",
    "",
]


def note(rng: random.Random, domain: str) -> str:
    """The person's evidence note for one rating: mostly none."""
    draw = rng.random()
    if draw < 0.18:
        return rng.choice(NOTES[domain])
    return rng.choice(SHORT_NOTES) if draw < 0.24 else ""


def reviewer_note(rng: random.Random, levels: Levels) -> str:
    """The reviewer's note where their level differs from the self-rating (often none)."""
    if levels.own == levels.reviewer or rng.random() < 0.4:
        return ""
    return rng.choice(REVIEWER_NOTES[1 if levels.reviewer > levels.own else -1])


def review_comment(rng: random.Random, readiness: float, strongest: str, weakest: str) -> str:
    """The reviewer's overall comment, from the readiness they gave (0–1) and two titles."""
    tone = "strong" if readiness >= 0.9 else "solid" if readiness >= 0.75 else "growing"
    return " ".join(
        [
            rng.choice(OPENINGS[tone]),
            f"Strongest in {strongest.lower()}.",
            f"The next step is {weakest.lower()}.",
            rng.choice(CLOSINGS),
        ]
    )


def goal(title: str, target: int) -> str:
    return f"Reach level {target} in {title.lower()}."
