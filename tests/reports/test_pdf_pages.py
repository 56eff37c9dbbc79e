"""
The PDFs as a personnel file needs them, read back page by page: no table row and no
signature block split across pages, however many rows; footers without a dangling
separator; the heat map's column headers each in its own column.
"""

import io
import itertools
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import DevelopmentGoal
from reports.individual import individual_context
from reports.official import render_individual_pdf
from tests.cast import open_cycle
from tests.factories import make_team
from tests.reports.helpers import queued_download, rate, submit

pytestmark = pytest.mark.django_db

# Words that tell one goal's start from its end, with enough text between them to make
# each row several lines tall, so that page breaks fall where rows are.
FILLER = "Shadow the network team through one outage drill and write up what changed. " * 5


def pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def page_of(texts: list[str], marker: str) -> int:
    found = [number for number, text in enumerate(texts) if marker in text]
    assert len(found) == 1, (marker, found)
    return found[0]


def individual_pdf(a, framework, filler: str) -> list[str]:
    """A working copy with one tall development-plan row per competency."""
    assessment = open_cycle(a, framework, a.staff).assessments.get()
    assessment = submit(rate(assessment, 1))
    DevelopmentGoal.objects.bulk_create(
        DevelopmentGoal(
            assessment=assessment,
            competency_id=rating.competency_id,
            goal=f"GOAL{n}START {filler}",
            actions=f"{filler} GOAL{n}END",
            target_date="2027-06-30",
        )
        for n, rating in enumerate(assessment.ratings.order_by("pk"))
    )
    return pages(render_individual_pdf(individual_context(assessment), official=False))


@pytest.mark.parametrize("repeat", [1, 2])
def test_individual_pdf_keeps_each_plan_row_on_one_page(a, shipped_framework, repeat):
    texts = individual_pdf(a, shipped_framework, FILLER * repeat)
    goals = DevelopmentGoal.objects.count()
    assert goals > 20 and len(texts) > 6
    for n in range(goals):
        assert page_of(texts, f"GOAL{n}START") == page_of(texts, f"GOAL{n}END"), n


def test_the_signature_block_is_never_split_wherever_the_page_ends(a, submitted):
    """
    Each added line of evidence (six notes) moves the signature block down by about six
    lines; ten such steps walk it across a whole page end, wherever the page ends.
    """
    for lines in range(16, 26):
        submitted.ratings.update(note="\n".join(f"Evidence line {i}" for i in range(lines)))
        texts = pages(render_individual_pdf(individual_context(submitted), official=False))
        signature = page_of(texts, "Signatures")
        assert page_of(texts, "Finalized by the reviewer") == signature, lines
        assert page_of(texts, "Acknowledged by the person") == signature, lines


# A name as long as a person's may be (150 characters): several lines in the names column.
LONG_NAME = "P{n}START Alexandria-Konstantina Wolfeschlegelsteinhausen-Bergerdorff {words} P{n}END"


@pytest.fixture
def team_pdf(client, a, shipped_framework) -> bytes:
    """The team PDF of forty people with long names: the heat map runs over three pages."""
    made = make_team(a.district, shipped_framework, people=40, name="Infrastructure")
    for n, member in enumerate(made.people):
        member.full_name = LONG_NAME.format(n=n, words="de la Cruz y Montenegro " * 2)[:150]
        member.save(update_fields=["full_name"])
    client.force_login(a.superintendent)
    url = reverse("reports:team_pdf", args=[made.team.pk]) + f"?cycle={made.cycle.pk}"
    response = queued_download(client, url)
    assert response.status_code == 200
    return response.body


def pages_with(texts: list[str], marker: str) -> set[int]:
    return {number for number, text in enumerate(texts) if marker in text}


def test_team_pdf_keeps_each_heat_map_row_on_one_page(team_pdf):
    texts = pages(team_pdf)
    assert len(texts) > 3
    for n in range(40):
        start = pages_with(texts, f"P{n}START")
        assert start and start == pages_with(texts, f"P{n}END"), n


WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
)


def words(content: bytes, tmp_path) -> list[list[tuple[float, float, float, str]]]:
    """Per page, each word poppler finds and where: (left, top, right, text)."""
    return [page for _, page in pages_of_words(content, tmp_path)]


PAGE = re.compile(r'width="([\d.]+)" height="[\d.]+">')


def pages_of_words(content: bytes, tmp_path):
    """Per page, its width and its words as (left, top, right, text)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    pdftotext = shutil.which("pdftotext")  # poppler-utils
    assert pdftotext, "pdftotext (poppler-utils) is needed to read where words are"
    xhtml = subprocess.run(
        [pdftotext, "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        (
            float(PAGE.search(page).group(1)),
            [(float(x0), float(y0), float(x1), text) for x0, y0, x1, text in WORD.findall(page)],
        )
        for page in xhtml.split("<page ")[1:]
    ]


def assert_inside_the_margins(content: bytes, tmp_path) -> None:
    """Every word, charts' included, within the page's 0.75 in (54 pt) side margins."""
    for number, (width, page) in enumerate(pages_of_words(content, tmp_path)):
        for left, _, right, text in page:
            assert left >= 53 and right <= width - 53, (number, text, left, right)


def test_charts_stay_inside_the_page_box(client, a, submitted, tmp_path):
    assert_inside_the_margins(
        render_individual_pdf(individual_context(submitted), official=False), tmp_path
    )
    client.force_login(a.superintendent)
    response = queued_download(client, reverse("reports:district_pdf"))
    assert response.status_code == 200
    assert_inside_the_margins(response.body, tmp_path)


def test_team_pdf_heat_map_headers_each_in_its_own_column(team_pdf, tmp_path, shipped_framework):
    codes = set(shipped_framework.domains.values_list("competencies__code", flat=True))
    heat_map_pages = 0
    for page in words(team_pdf, tmp_path):
        header = sorted((x0, x1, text) for x0, _, x1, text in page if text in codes)
        if not any(text in {"Person", "Readiness"} for *_, text in page) or not header:
            continue
        heat_map_pages += 1
        assert {text for *_, text in header} == codes  # every code whole, none run together
        for (_, right, text), (left, _, following) in itertools.pairwise(header):
            assert right <= left, (text, following)  # and none drawn over the next
    assert heat_map_pages >= 2  # the header is repeated on each page of the heat map


def test_footers_have_no_dangling_separator(team_pdf):
    for text in pages(team_pdf):
        footer = next(line for line in text.splitlines() if line.startswith("Confidential"))
        assert re.fullmatch(r"Confidential — team report\s*(page \d+ of \d+)?", footer), footer
