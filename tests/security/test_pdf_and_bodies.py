"""The PDF renderer fetches nothing but our static files; PDFs are tagged; huge bodies are refused unread."""

import io
import socket

import pytest
from django.test import Client
from pypdf import PdfReader
from weasyprint import HTML

from reports.pdf import BASE_URL, RefusedURL, StaticFilesFetcher
from tests.reports.helpers import queued_download


@pytest.fixture
def listener():
    """A local port that records whether anything connects to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.5)
    yield server
    server.close()


def _connections(server) -> int:
    count = 0
    while True:
        try:
            connection, _ = server.accept()
        except TimeoutError:
            return count
        connection.close()
        count += 1


def test_the_renderer_contacts_nothing_and_reads_no_local_file(listener):
    port = listener.getsockname()[1]
    html = f"""<html><head>
      <link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">
      <style>@import url("https://127.0.0.1:{port}/y.css");
             body {{ background: url("http://127.0.0.1:{port}/bg.png") }}</style>
      </head><body>
      <img src="http://127.0.0.1:{port}/x.png" alt="">
      <img src="file:///etc/passwd" alt="">
      <iframe src="http://127.0.0.1:{port}/frame"></iframe>
      <p>text</p></body></html>"""
    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher()).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert _connections(listener) == 0
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "root:" not in text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/static/css/site.css",
        "https://example.org/static/css/site.css",
        "ftp://example.org/x",
        f"{BASE_URL}static/../skillsportal/settings.py",
        f"{BASE_URL}static/%2e%2e/skillsportal/settings.py",
        f"{BASE_URL}static//etc/passwd",
        f"{BASE_URL}static/",
        f"{BASE_URL}media/secret.pdf",
    ],
)
def test_the_fetcher_refuses_everything_but_our_static_files(url):
    with pytest.raises((RefusedURL, ValueError)):
        StaticFilesFetcher().fetch(url)


def test_the_fetcher_serves_our_static_files():
    response = StaticFilesFetcher().fetch(f"{BASE_URL}static/css/report-pdf.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def _structure(content: bytes) -> dict:
    root = PdfReader(io.BytesIO(content)).trailer["/Root"]
    return {
        "tagged": "/StructTreeRoot" in root,
        "marked": bool(root.get("/MarkInfo", {}).get("/Marked")),
        "language": str(root.get("/Lang", "")),
    }


@pytest.mark.django_db
def test_every_pdf_report_is_tagged(client, world):
    district = world.a
    pdfs = {
        "individual": (
            district.superintendent,
            f"/reports/assessments/{district.finalized.pk}/pdf/",
        ),
        "team": (district.lead, f"/reports/teams/{district.team.pk}/pdf/"),
        "district": (district.superintendent, "/reports/district/pdf/"),
    }
    for name, (person, url) in pdfs.items():
        client.force_login(person)
        if name == "individual":
            response = client.get(url)
            content = response.content
        else:  # rendered in the background
            response = queued_download(client, url)
            content = response.body
        assert response["Content-Type"] == "application/pdf", name
        assert _structure(content) == {"tagged": True, "marked": True, "language": "en"}, name


class CountingBody(io.RawIOBase):
    """A request body of ``size`` bytes, made as it is read, that counts what was read."""

    def __init__(self, size: int, head: bytes = b""):
        self.size, self.head, self.read_bytes = size, head, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        count = min(len(buffer), self.size - self.read_bytes)
        start = self.read_bytes
        chunk = (self.head[start : start + count]).ljust(count, b"x")
        buffer[:count] = chunk
        self.read_bytes += count
        return count


def _post_unread(client, url, size, **extra):
    """POST a multipart body of ``size`` bytes; answer the response and the bytes read."""
    head = b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
    body = CountingBody(size, head)
    environ = {"CONTENT_TYPE": "multipart/form-data; boundary=B", "CONTENT_LENGTH": str(size)}
    response = client.generic("POST", url, **{"wsgi.input": body, **environ, **extra})
    return response, body.read_bytes


@pytest.mark.django_db
def test_an_oversized_anonymous_upload_is_refused_unread(settings):
    client = Client(enforce_csrf_checks=True)
    client.get("/account/signin/")  # a CSRF cookie: the check then reads the body for its token
    size = settings.REQUEST_MAX_BYTES + 1
    response, read = _post_unread(client, "/account/signin/", size)
    assert (response.status_code, read) == (413, 0)


@pytest.mark.django_db
def test_an_oversized_autosave_is_refused_unread_and_changes_nothing(client, world, settings):
    assessment = world.a.draft
    version = assessment.version
    client.force_login(assessment.person)
    url = f"/assessments/{assessment.pk}/autosave/"
    response, read = _post_unread(client, url, settings.REQUEST_MAX_BYTES + 1)
    assert (response.status_code, read) == (413, 0)
    assessment.refresh_from_db()
    assert assessment.version == version


@pytest.mark.django_db
def test_a_body_of_the_largest_upload_is_read(client, settings):
    """The cap leaves room for the largest import (a 5 MB framework file)."""
    assert settings.REQUEST_MAX_BYTES >= 6 * 1024 * 1024
    response, read = _post_unread(client, "/account/signin/", settings.REQUEST_MAX_BYTES)
    assert response.status_code != 413 and read == settings.REQUEST_MAX_BYTES


@pytest.mark.django_db
def test_a_body_without_a_length_is_refused(client):
    response = client.generic(
        "POST", "/account/signin/", b"", HTTP_TRANSFER_ENCODING="chunked", CONTENT_LENGTH=""
    )
    assert response.status_code == 411
