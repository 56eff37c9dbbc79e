"""
The load test's simulated people (run by loadtest/run.sh, which sets the variables below).

Staff members sign in with their own account, open each step of the rating form,
autosave a series of changes one at a time (levels and evidence notes, each carrying the
version from the previous answer, as static/js/autosave.js does), sometimes reload a
step, and at the end open the review step and submit. Team leads sign in and open their
team report now and then. Every request is named by its kind, so the statistics come
out per kind: sign-in, form step, autosave, submit, team report.

Every acknowledged change (an autosave answered 200) is written to LOADTEST_SAVES, one
JSON line each, with the change sent just before it is sent: loadtest/verify.py checks
them against the database afterwards.

Variables: LOADTEST_DATA (from make_data.py), LOADTEST_SAVES (written), LOADTEST_RESULTS
(the figures, written when locust stops), LOADTEST_THINK ("min,max" seconds between a
staff member's actions, default "1,3").
"""

import json
import os
import random
import re
from pathlib import Path

from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

DATA = json.loads(Path(os.environ["LOADTEST_DATA"]).read_text())
SAVES = Path(os.environ["LOADTEST_SAVES"]).open("a", buffering=1)  # noqa: SIM115 (lives as long as the run)
THINK = tuple(float(x) for x in os.environ.get("LOADTEST_THINK", "1,3").split(","))
KINDS = ["sign-in", "form step", "autosave", "submit", "team report"]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')

_staff = iter(DATA["staff"])
_leads = iter(DATA["leads"])
rng = random.Random(2026)  # noqa: S311 (load shapes, not secrets)


def record(**line) -> None:
    SAVES.write(json.dumps(line) + "\n")


class Person(FastHttpUser):
    abstract = True
    account: dict

    def sign_in(self) -> None:
        """The sign-in page, then the form: with the page's CSRF token, own account."""
        with self.client.get("/account/signin/", name="sign-in page", catch_response=True) as r:
            token = TOKEN.search(r.text or "")
            if r.status_code != 200 or not token:
                r.failure(f"sign-in page: {r.status_code}, token found: {bool(token)}")
                raise StopUser()
        form = {
            "csrfmiddlewaretoken": token.group(1),
            "username": self.account["email"],
            "password": DATA["password"],
            "next": "",
        }
        with self.client.post(
            "/account/signin/",
            data=form,
            headers={"X-CSRFToken": token.group(1), "Referer": self.host + "/account/signin/"},
            name="sign-in",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"sign-in refused: {r.status_code}")
                raise StopUser()
            r.success()


class Staff(Person):
    """A staff member rating themselves, one change at a time, then submitting."""

    def wait_time(self) -> float:
        if self.plan[0][0] == "done":
            return rng.uniform(10, 20)  # submitted: only a look at the plan now and then
        return rng.uniform(*THINK)

    def on_start(self) -> None:
        self.account = next(_staff)
        self.pk = self.account["assessment"]
        self.version = None
        self.token = None
        self.plan = self.make_plan()
        self.sign_in()

    def make_plan(self) -> list[tuple]:
        """The actions of this person, in order: steps, changes, reloads, submit."""
        levels = DATA["levels"]
        plan = []
        # People coming back to finish have three competencies left (see make_data).
        steps = [DATA["left_for_returning"]] if self.account["returning"] else DATA["steps"]
        for step in steps:
            plan.append(("open", step["code"]))
            for competency in step["competencies"]:
                plan.append(("level", competency, rng.choice(levels)))
                if rng.random() < 0.3:
                    words = " ".join(rng.choice(NOTE_WORDS) for _ in range(rng.randint(8, 40)))
                    plan.append(("note", competency, f"{self.account['email']}: {words}."))
                if rng.random() < 0.15:  # a change of mind
                    plan.append(("level", competency, rng.choice(levels)))
            if rng.random() < 0.3:
                plan.append(("open", step["code"]))  # a reload of the step
        plan += [("open", "review"), ("submit",), ("done",)]
        return plan

    @task
    def next_action(self) -> None:
        action = self.plan[0]
        if action[0] != "done":
            self.plan.pop(0)
        getattr(self, f"do_{action[0]}")(*action[1:])

    def do_open(self, step: str) -> None:
        url = f"/assessments/{self.pk}/rate/{step}/"
        with self.client.get(url, name="form step", catch_response=True) as r:
            token, version = TOKEN.search(r.text or ""), VERSION.search(r.text or "")
            if r.status_code != 200 or not token or not version:
                r.failure(f"form step {step}: {r.status_code}")
                raise StopUser()
            shown = int(version.group(1))
            if self.version is not None and shown != self.version:
                r.failure(f"the page shows version {shown}, the last save answered {self.version}")
            self.token, self.version = token.group(1), shown
            if step == "review" and "not rated yet" in (r.text or ""):
                r.failure("review step: competencies not rated after every step was rated")

    def do_level(self, competency: int, level: int) -> None:
        self.autosave(competency, level=str(level))

    def do_note(self, competency: int, note: str) -> None:
        self.autosave(competency, note=note)

    def autosave(self, competency: int, **field: str) -> None:
        record(
            kind="sent", assessment=self.pk, competency=competency, version=self.version, **field
        )
        with self.client.post(
            f"/assessments/{self.pk}/autosave/",
            data={"version": str(self.version), "competency": str(competency), **field},
            headers={"X-CSRFToken": self.token},
            name="autosave",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                # 409 (stale) cannot happen to one person saving one change at a time.
                r.failure(f"autosave answered {r.status_code}: {(r.text or '')[:200]}")
                raise StopUser()
            try:
                answer = r.json()
            except ValueError:
                r.failure("autosave answered something other than JSON")
                raise StopUser() from None
            if answer.get("version") != self.version + 1:
                r.failure(f"version {self.version} saved as {answer.get('version')}")
            self.version = answer["version"]
            record(
                kind="ack", assessment=self.pk, competency=competency, version=self.version, **field
            )

    def do_submit(self) -> None:
        with self.client.post(
            f"/assessments/{self.pk}/submit/",
            data={"csrfmiddlewaretoken": self.token, "version": str(self.version)},
            headers={"X-CSRFToken": self.token},
            name="submit",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            location = r.headers.get("Location", "") if r.headers else ""
            if r.status_code != 302 or not location.endswith(f"/assessments/{self.pk}/plan/"):
                r.failure(f"submit answered {r.status_code} to {location!r}")
                raise StopUser()
            record(kind="submitted", assessment=self.pk, version=self.version + 1)

    def do_done(self) -> None:
        """Submitted: the person looks at their plan now and then until the run ends."""
        self.client.get(f"/assessments/{self.pk}/plan/", name="plan (after submit)")


class Lead(Person):
    """A team lead opening their team report now and then."""

    wait_time = between(10, 20)
    fixed_count = len(DATA["leads"])

    def on_start(self) -> None:
        self.account = next(_leads)
        self.sign_in()

    @task
    def team_report(self) -> None:
        self.client.get(f"/reports/teams/{self.account['team']}/", name="team report")


NOTE_TEXT = (
    "configured VLAN segmentation for the high school and documented the change window; "
    "ran a phishing drill with the office staff; coached two teachers on the LMS gradebook; "
    "reviewed vendor data privacy agreements against the state student privacy law; "
    "restored a file server from backup as a test; wrote the incident response runbook"
)
NOTE_WORDS = NOTE_TEXT.split()


@events.quitting.add_listener
def write_results(environment, **_kwargs) -> None:
    """The figures per kind of request, for verify.py to print beside the saves check."""
    stats = environment.stats
    kinds = {}
    for entry in stats.entries.values():
        kinds.setdefault(entry.name, []).append(entry)
    rows = {}
    for name, entries in kinds.items():
        requests = sum(e.num_requests for e in entries)
        merged = entries[0]
        for extra in entries[1:]:
            merged.extend(extra)
        rows[name] = {
            "requests": requests,
            "failures": sum(e.num_failures for e in entries),
            "p50": merged.get_response_time_percentile(0.5),
            "p95": merged.get_response_time_percentile(0.95),
            "p99": merged.get_response_time_percentile(0.99),
            "max": merged.max_response_time,
        }
    total = stats.total
    elapsed = max((total.last_request_timestamp or 0) - (total.start_time or 0), 1)
    Path(os.environ["LOADTEST_RESULTS"]).write_text(
        json.dumps(
            {
                "kinds": rows,
                "order": KINDS,
                "requests": total.num_requests,
                "failures": total.num_failures,
                "rps": total.num_requests / elapsed,
                "seconds": elapsed,
                "p95_all": total.get_response_time_percentile(0.95),
                "errors": [
                    {"name": e.name, "error": str(e.error), "count": e.occurrences}
                    for e in stats.errors.values()
                ],
                "exceptions": len(getattr(environment.runner, "exceptions", {}) or {}),
            },
            indent=1,
        )
    )
    SAVES.flush()
