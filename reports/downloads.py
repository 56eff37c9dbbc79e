"""
Report downloads: one way to hand a file to the browser, with a safe filename, no caching
anywhere, and an audit event for every download.
"""

import base64
import hashlib

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from assessments import audit

MAX_PART = 60  # characters of each part of a filename


def safe_filename(*parts: str, extension: str) -> str:
    """
    ``2026-annual-review-pat-staff-official.pdf``: every part slugified to ASCII letters,
    digits and hyphens (accents folded, everything else dropped), so no quote, slash,
    control character or header trick can reach Content-Disposition.
    """
    slugs = [slugify(str(part))[:MAX_PART].strip("-") for part in parts]
    stem = "-".join(slug for slug in slugs if slug) or "report"
    return f"{stem}.{slugify(extension) or 'bin'}"


def report_filename(cycle, person, kind: str, extension: str = "pdf") -> str:
    """The filename of one person's report in one cycle."""
    return safe_filename(cycle.title, person.get_full_name(), kind, extension=extension)


def attachment(
    request,
    content: bytes,
    *,
    filename: str,
    content_type: str,
    obj=None,
    district=None,
    action: str = "report.downloaded",
    sha256: str | None = None,
    **detail,
) -> HttpResponse:
    """
    ``content`` as a download: ``attachment`` with ``filename`` (pass one made by
    ``safe_filename``), ``Cache-Control: no-store, private``, ``nosniff``; its SHA-256 in
    ``X-Content-SHA256`` and ``Repr-Digest`` (RFC 9530); and one audit event ``action``
    about ``obj`` (in ``district``, by default the viewer's) naming the file and its hash.
    """
    digest = hashlib.sha256(content).digest()
    hex_digest = digest.hex()
    if sha256 is not None and sha256 != hex_digest:
        # The stored file no longer matches the hash recorded when it was written.
        raise ValueError(f"{filename}: content does not match its recorded SHA-256.")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Content-SHA256"] = hex_digest
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(digest).decode('ascii')}:"
    audit.record(
        request, action, obj=obj, district=district, filename=filename, sha256=hex_digest, **detail
    )
    return response
