"""What an import would add, remove or change against the latest version of the slug."""

from dataclasses import dataclass, field

from .data import FrameworkData


@dataclass
class FrameworkDiff:
    # "slug@version" of the version compared with.
    against: str
    domains_added: list[str] = field(default_factory=list)
    domains_removed: list[str] = field(default_factory=list)
    # "CODE title"
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # "CODE: old title → new title"
    renamed: list[str] = field(default_factory=list)
    # "CODE level N" whose text changed, appeared or disappeared
    descriptors_changed: list[str] = field(default_factory=list)
    descriptors_added: list[str] = field(default_factory=list)
    descriptors_removed: list[str] = field(default_factory=list)
    # "role CODE: old → new" (level and importance)
    targets_changed: list[str] = field(default_factory=list)

    def sections(self) -> list[tuple[str, list[str]]]:
        """(heading, lines) for each kind of change, in reading order, empty ones included."""
        return [
            ("Domains added", self.domains_added),
            ("Domains removed", self.domains_removed),
            ("Competencies added", self.added),
            ("Competencies removed", self.removed),
            ("Competencies renamed", self.renamed),
            ("Descriptors changed", self.descriptors_changed),
            ("Descriptors added", self.descriptors_added),
            ("Descriptors removed", self.descriptors_removed),
            ("Targets changed", self.targets_changed),
        ]

    @property
    def unchanged(self) -> bool:
        return not any(lines for _, lines in self.sections())


def compare(old: FrameworkData, new: FrameworkData) -> FrameworkDiff:
    diff = FrameworkDiff(against=f"{old.slug}@{old.version}")
    old_domains = {d.code: d for d in old.domains}
    new_domains = {d.code: d for d in new.domains}
    diff.domains_added = [
        f"{c} {new_domains[c].title}" for c in new_domains.keys() - old_domains.keys()
    ]
    diff.domains_removed = [
        f"{c} {old_domains[c].title}" for c in old_domains.keys() - new_domains.keys()
    ]

    before = {c.code: c for c in old.competencies()}
    after = {c.code: c for c in new.competencies()}
    diff.added = [f"{code} {after[code].title}" for code in after if code not in before]
    diff.removed = [f"{code} {before[code].title}" for code in before if code not in after]
    for code in before.keys() & after.keys():
        if before[code].title != after[code].title:
            diff.renamed.append(f"{code}: {before[code].title} → {after[code].title}")
        old_texts = {x.level: x.text for x in before[code].descriptors}
        new_texts = {x.level: x.text for x in after[code].descriptors}
        for level in sorted(old_texts.keys() | new_texts.keys()):
            label = f"{code} level {level}"
            if level not in old_texts:
                diff.descriptors_added.append(label)
            elif level not in new_texts:
                diff.descriptors_removed.append(label)
            elif old_texts[level] != new_texts[level]:
                diff.descriptors_changed.append(label)

    def targets(fd):
        return {
            (r.code, t.competency): f"{t.level} {t.importance}" for r in fd.roles for t in r.targets
        }

    old_targets, new_targets = targets(old), targets(new)
    for key in sorted(old_targets.keys() | new_targets.keys()):
        was, now = old_targets.get(key, "none"), new_targets.get(key, "none")
        if was != now:
            diff.targets_changed.append(f"role {key[0]}, {key[1]}: {was} → {now}")
    for lines in (
        diff.domains_added,
        diff.domains_removed,
        diff.renamed,
        diff.descriptors_changed,
        diff.descriptors_added,
        diff.descriptors_removed,
    ):
        lines.sort()
    return diff
