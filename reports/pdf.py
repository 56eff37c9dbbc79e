"""
Rendering reports as PDF with WeasyPrint, from the same HTML partials as the pages.

The renderer fetches nothing but the project's own static files: every URL in the
document is resolved against a made-up origin, and the fetcher serves only that
origin's STATIC_URL paths, and ``data:`` URIs (the charts). ``file:``, ``http(s):`` and
everything else are refused without a connection.

A static path is looked up where the page's own ``{% static %}`` names point: the static
files finders (the source files, as in development), then the static files storage (with
DEBUG off, the hashed names of the manifest, collected into STATIC_ROOT).
"""

import mimetypes
import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Never resolved or contacted: only a prefix that marks our own static files.
BASE_URL = "https://pdf.skillsportal.invalid/"


class RefusedURL(ValueError):
    """The PDF asked for something other than our own static files."""


class StaticFilesFetcher(URLFetcher):
    """Serves the project's static files and ``data:`` URIs; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        static_prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
        if not url.startswith(static_prefix):
            raise RefusedURL(f"The PDF renderer refuses {url[:80]!r}.")
        relative = unquote(urlsplit(url).path)[len(urlsplit(static_prefix).path) :]
        body = _read_static(relative)
        if body is None:
            raise RefusedURL(f"No static file {relative[:80]!r}.")
        content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, headers={"Content-Type": content_type})


def _read_static(relative: str) -> bytes | None:
    """The content of one static file by its (possibly hashed) name, or None."""
    parts = relative.split("/")
    if ".." in parts or "" in parts:  # no way up, no absolute path, no empty name
        return None
    path = finders.find(relative)
    if path:
        with open(path, "rb") as handle:
            return handle.read()
    if staticfiles_storage.exists(relative):
        with staticfiles_storage.open(relative) as handle:
            return handle.read()
    return None


def render_html(template_name: str, ctx: dict, *, request=None) -> str:
    """
    The document's HTML. ``generated_at`` (printed at the foot of every PDF) is now
    unless the context says otherwise (``None`` leaves it out).
    """
    return render_to_string(template_name, {"generated_at": timezone.now(), **ctx}, request=request)


def pdf_from_html(html: str) -> bytes:
    """``html`` rendered to a tagged PDF/UA document, fetching only our static files."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1", custom_metadata=True)


def render_pdf(template_name: str, ctx: dict, *, request=None) -> bytes:
    """
    Render ``template_name`` (which extends ``reports/pdf_base.html``) to a tagged PDF/UA
    document. Title, author and subject come from the template's <title> and
    <meta name="author"> / <meta name="description">.
    """
    return pdf_from_html(render_html(template_name, ctx, request=request))


def linked_static_files(html: str) -> list[bytes]:
    """The content of every static file ``html`` links to (its stylesheets), in order."""
    prefix = re.escape(settings.STATIC_URL)
    found = re.findall(rf'(?:href|src)="{prefix}([^"?#]+)"', html)
    return [_read_static(unquote(relative)) or b"" for relative in found]
