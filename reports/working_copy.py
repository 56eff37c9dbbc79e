"""
Working copies of the individual PDF (before the official record exists), rendered once
per state of the report and served again from the private storage.

The key is the SHA-256 of everything the renderer reads: the document's HTML (rendered
without its "Generated …" stamp) and the static files it links to. So whatever the
output depends on — the assessment and its version, the person's name and team, the
framework, the previous cycle, the goals, the templates and stylesheets — a change
makes a new key, and an unchanged report is never rendered twice. The charts are left
out of the HTML the key is taken from: they are a pure function of the report's figures,
which the HTML prints in full, and drawing them is the costliest part of the context, so
they are drawn on a miss only, with WeasyPrint (the code that draws them is in the key).
A hit costs seven queries and a template.

Why the private storage rather than Django's cache: the default cache is per process
(each gunicorn worker would render its own copy and keep it in memory), while the files
under ``PRIVATE_STORAGE_ROOT`` are shared by every web process, survive a restart, sit
beside the official records outside any URL, and cost no memory. One file is kept per
assessment (a new key replaces the old file), so the folder grows with the number of
assessments, not of edits.

Access is the caller's, before anything (``get_assessment_or_404``): the file is found by
the assessment's id and the key, never by anything the request names.
"""

import functools
import hashlib
import importlib.metadata
from pathlib import Path

from django.conf import settings

from assessments.models import Assessment

from . import charts
from .individual import individual_charts, individual_context
from .official import TEMPLATE, write_atomically
from .pdf import linked_static_files, pdf_from_html, render_html

FOLDER = "working-copies"


def working_copy_pdf(assessment: Assessment) -> bytes:
    """The working-copy PDF of ``assessment``, rendered only if its report changed."""
    ctx = {**individual_context(assessment, with_charts=False), "pdf_official": False}
    key = _key(render_html(TEMPLATE, {**ctx, "generated_at": None}))
    folder = Path(settings.PRIVATE_STORAGE_ROOT) / FOLDER / f"assessment-{assessment.pk}"
    path = folder / f"{key}.pdf"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    ctx.update(individual_charts(ctx["report"]))
    content = pdf_from_html(render_html(TEMPLATE, ctx))
    write_atomically(path, content)
    for older in folder.glob("*.pdf"):
        if older != path:
            older.unlink(missing_ok=True)
    return content


def _key(html: str) -> str:
    digest = hashlib.sha256(html.encode())
    digest.update(_charts_code())
    for content in linked_static_files(html):
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()


@functools.cache
def _charts_code() -> bytes:
    """What draws the charts (left out of the HTML): our chart code and pygal's version."""
    source = Path(charts.__file__).read_bytes()
    return hashlib.sha256(source + importlib.metadata.version("pygal").encode()).digest()
