"""The basis of team and district figures: which level one rating contributes."""

import pytest

from reports.basis import DEFAULT, Basis, basis_from, level_for


@pytest.mark.parametrize(
    ("basis", "official", "expected"),
    [
        (Basis.SELF, True, 2),
        (Basis.REVIEWER, False, 3),
        (Basis.REVIEWED, True, 3),  # official: the reviewer's level
        (Basis.REVIEWED, False, 2),  # not yet official: the person's own
    ],
)
def test_level_for_each_basis(basis, official, expected):
    assert level_for(basis, self_level=2, reviewer_level=3, official=official) == expected


def test_reviewed_falls_back_to_self_when_the_reviewer_left_a_competency_unrated():
    assert level_for(Basis.REVIEWED, self_level=2, reviewer_level=None, official=True) == 2


@pytest.mark.parametrize("value", [None, "", "nonsense", "SELF", "<script>"])
def test_anything_unknown_means_the_default(value):
    assert basis_from(value) == DEFAULT == Basis.REVIEWED


def test_known_values_are_read():
    assert basis_from("self") == Basis.SELF
    assert basis_from("reviewer") == Basis.REVIEWER
