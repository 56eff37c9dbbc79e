"""
After a load run: print the figures and check that no acknowledged save was lost.

Run with the project's settings against the load test's database:

    .venv/bin/python -m loadtest.verify --saves saves.jsonl --results results.json

The figures (requests per second; p50/p95/p99 per kind of request; errors) come from
the results that the locustfile wrote when locust stopped. The check reads every
autosave that was answered 200 (an "ack" line of the saves file) and compares the last
one per (assessment, competency, field) with what the database holds; a change that was
sent after it and never answered (the run ended in between) may also be what the
database holds. Every assessment's version must be at least the highest acknowledged
one, and every acknowledged submit must have left the assessment submitted.

Exit status: 0 when there were no errors and no lost saves, 1 otherwise.
"""

import argparse
import json
import sys
from pathlib import Path

AUTOSAVE_P95_TARGET_MS = 300


def figures(results: dict) -> int:
    """Print the table; returns the error count."""
    kinds = results["kinds"]
    print()
    print(
        f"{'kind of request':<22}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    order = results["order"] + sorted(k for k in kinds if k not in results["order"])
    for name in order:
        row = kinds.get(name)
        if row is None:
            print(f"{name:<22}{0:>9}")
            continue
        print(
            f"{name:<22}{row['requests']:>9}{row['failures']:>8}{row['p50']:>9.0f}"
            f"{row['p95']:>9.0f}{row['p99']:>9.0f}{row['max']:>9.0f}"
        )
    print(
        f"{'all':<22}{results['requests']:>9}{results['failures']:>8}"
        f"{'':>9}{results['p95_all']:>9.0f}"
    )
    print(f"\nrequests per second: {results['rps']:.1f} over {results['seconds']:.0f} s")
    errors = results["failures"] + results["exceptions"]
    print(f"errors: {errors}")
    for error in results["errors"][:10]:
        print(f"  {error['count']} × {error['name']}: {error['error'][:300]}")
    return errors


def read_saves(path: Path):
    """The last acknowledged value per key, what was sent after it, versions, submits."""
    acked, unanswered, top_version, submitted = {}, {}, {}, set()
    count = 0
    for line in path.read_text().splitlines():
        event = json.loads(line)
        pk = event["assessment"]
        if event["kind"] == "submitted":
            submitted.add(pk)
            top_version[pk] = max(top_version.get(pk, 0), event["version"])
            continue
        field = "level" if "level" in event else "note"
        key = (pk, event["competency"], field)
        if event["kind"] == "sent":
            unanswered[key] = event[field]
        else:  # ack
            count += 1
            acked[key] = event[field]
            unanswered.pop(key, None)
            top_version[pk] = max(top_version.get(pk, 0), event["version"])
    return acked, unanswered, top_version, submitted, count


def lost_saves(path: Path) -> int:
    import django

    django.setup()
    from assessments.models import Rating

    acked, unanswered, top_version, submitted, count = read_saves(path)
    pks = {pk for pk, _, _ in acked} | submitted
    held = {
        (a, c): (level, note)
        for a, c, level, note in Rating.objects.filter(assessment_id__in=pks).values_list(
            "assessment_id", "competency_id", "level__value", "note"
        )
    }
    lost = _lost_answers(acked, unanswered, held)
    lost += _lost_steps(pks, top_version, submitted)
    print(
        f"\nacknowledged saves: {count} over {len(pks)} assessments, "
        f"{len(acked)} distinct answers checked, {len(submitted)} submits; "
        f"{len(unanswered)} sent but unanswered when the run stopped"
    )
    print(f"lost saves: {len(lost)}")
    for problem in lost[:20]:
        print(f"  {problem}")
    return len(lost)


def _lost_answers(acked: dict, unanswered: dict, held: dict) -> list[str]:
    """
    Each acknowledged answer that its row does not hold: neither it nor a later one that
    was sent but not answered when the run stopped.
    """
    lost = []
    for key, value in acked.items():
        pk, competency, field = key
        level, note = held.get((pk, competency), (None, None))
        sent = [value, unanswered[key]] if key in unanswered else [value]
        if field == "level":
            if level not in {int(v) for v in sent}:
                lost.append(
                    f"assessment {pk}, competency {competency}: level {level}, acknowledged {value}"
                )
        elif note not in {v.strip() for v in sent}:
            lost.append(
                f"assessment {pk}, competency {competency}: the acknowledged note is not the one held"
            )
    return lost


def _lost_steps(pks: set, top_version: dict, submitted: set) -> list[str]:
    """Assessments older than an acknowledged version, or drafts after an acknowledged submit."""
    from assessments.models import Assessment

    rows = dict(Assessment.objects.filter(pk__in=pks).values_list("pk", "version"))
    states = dict(Assessment.objects.filter(pk__in=pks).values_list("pk", "status"))
    lost = []
    for pk, version in top_version.items():
        if rows.get(pk, 0) < version:
            lost.append(f"assessment {pk}: version {rows.get(pk)}, acknowledged {version}")
    for pk in submitted:
        if states.get(pk) == Assessment.Status.DRAFT:
            lost.append(f"assessment {pk}: submitted (acknowledged) but still a draft")
    return lost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--saves", type=Path, required=True)
    parser.add_argument("--results", type=Path, required=True)
    args = parser.parse_args()
    if not args.results.exists():
        sys.exit("No results: locust did not finish.")
    results = json.loads(args.results.read_text())
    errors = figures(results)
    lost = lost_saves(args.saves)
    autosave = results["kinds"].get("autosave")
    if autosave:
        verdict = "met" if autosave["p95"] <= AUTOSAVE_P95_TARGET_MS else "MISSED"
        print(
            f"autosave p95 {autosave['p95']:.0f} ms: target ≤ {AUTOSAVE_P95_TARGET_MS} ms {verdict}"
        )
    if errors or lost:
        print(f"\nFAILED: {errors} errors, {lost} lost saves")
        sys.exit(1)
    print("\nOK: no errors, no lost saves")


if __name__ == "__main__":
    main()
