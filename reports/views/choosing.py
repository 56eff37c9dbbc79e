"""
What the report pages read alike from the query string: which cycle (``?cycle=``) and
which ratings count (``?basis=``).
"""

from django.http import Http404

from assessments.models import Cycle
from reports import district
from reports.basis import DESCRIPTIONS, Basis, counted_words


def district_cycle(viewer, wanted: str | None) -> tuple[list[Cycle], Cycle | None]:
    """
    The viewer's district's cycles and the one ``wanted`` (``?cycle=``) names, else the
    newest with assessments (None when the district has none); 404 for a cycle not among them.
    """
    cycles = district.cycles_for(viewer)
    cycle = district.choose_cycle(cycles, wanted)
    if cycle is None and (wanted or cycles):
        raise Http404("No such cycle.")
    return cycles, cycle


def basis_context(basis: Basis) -> dict:
    """The page context that names the basis, offers the others and says what counts."""
    return {
        "basis": basis,
        "bases": Basis.choices,
        "basis_description": DESCRIPTIONS[basis],
        "counted_words": counted_words(basis),
    }
