"""
The production run (`make serve`): gunicorn and the task worker with DEBUG off, static
files served by the app, started as a subprocess on a free port against a throwaway
SQLite database, and signed in to over HTTP.

Differences from a real deployment, all through the environment: SQLite instead of
PostgreSQL (the test never touches the configured DATABASE_URL, which may be a real
database), SECURE_SSL=0 (no TLS on loopback), and STATIC_COMPRESS=0 (the same hashed
static files without the minute of Brotli/gzip precompression).
"""

import contextlib
import http.cookiejar
import os
import re
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
MAKE = shutil.which("make") or "make"
EMAIL = "hr@production.example"
PASSWORD = "a production-like passphrase"
CREATE_ACCOUNT = f"""
from assessments.models import District, RoleGrant, User
district = District.objects.create(slug="production", name="Production USD")
person = User.objects.create_user(
    {EMAIL!r}, {PASSWORD!r}, full_name="Harriet Production", district=district
)
RoleGrant.objects.create(person=person, role="hr")
"""


def raw_request(base: str, head: str) -> str:
    """Send a request's head (no body) over a socket; answer the response's status line."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n")
        return sock.recv(4096).decode("latin-1").split("\r\n", 1)[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def group_commands(pgid: int) -> list[str]:
    """The command lines of the processes in process group ``pgid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) == pgid:
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (ProcessLookupError, FileNotFoundError, PermissionError):
            continue
    return found


def stop(process: subprocess.Popen) -> None:
    """Stop everything `make serve` started: the whole process group, by force if need be."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while group_commands(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@pytest.fixture
def production(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "PYTEST_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="production-test-" + os.urandom(16).hex(),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        STATIC_COMPRESS="0",
        PRIVATE_STORAGE_ROOT=str(tmp_path / "private"),
        PORT=str(port),
        DJANGO_SETTINGS_MODULE="skillsportal.settings",
        WEB_CONCURRENCY="2",
    )
    manage = [str(PYTHON), "manage.py"]
    for command in (["migrate", "--noinput", "-v0"], ["shell", "-c", CREATE_ACCOUNT]):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, timeout=300)

    log = (tmp_path / "serve.log").open("w")
    # -o: the virtual environment counts as installed (`make test` has just set it up).
    process = subprocess.Popen(
        [MAKE, "--no-print-directory", "-o", ".venv/.installed-base", "serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                pytest.fail("make serve stopped:\n" + (tmp_path / "serve.log").read_text())
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("No answer from /healthz:\n" + (tmp_path / "serve.log").read_text())
            time.sleep(0.5)
        yield base, process
    finally:
        stop(process)
        log.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_make_serve_runs_gunicorn_and_the_worker_and_signs_in(production):
    base, process = production
    commands = group_commands(process.pid)
    assert any("gunicorn" in command for command in commands), commands
    assert any("db_worker" in command for command in commands), commands

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/account/signin/", timeout=10) as response:
        page = response.read().decode()
        assert "DEBUG" not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": EMAIL, "password": PASSWORD, "next": "/"}
    ).encode()
    with opener.open(base + "/account/signin/", data=form, timeout=30) as response:
        home = response.read().decode()
        assert response.url == base + "/"
    assert "Harriet Production" in home

    # Static files come from the app, hashed by the manifest, cached for a long time.
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home)
    assert stylesheet, "no hashed stylesheet in the page"
    with opener.open(base + stylesheet.group(1), timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/css")
        assert "immutable" in response.headers["Cache-Control"]
        assert b".skip-link" in response.read()

    # gunicorn runs with its limits: an oversized header never reaches the app.
    assert any("skillsportal/gunicorn.conf.py" in command for command in commands), commands
    too_many = {f"X-Filler-{n}": "x" for n in range(60)}  # its limit is 50, gunicorn's 100
    for headers in ({"X-Filler": "x" * 9000}, too_many):
        request = urllib.request.Request(base + "/healthz", headers=headers)  # noqa: S310
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(request, timeout=10)  # noqa: S310
        assert error.value.code == 431
    # A 200 MB upload is refused at once from its length, the body never sent; so is a
    # chunked one (no length).
    upload = "POST /account/signin/ HTTP/1.1\nHost: 127.0.0.1\nContent-Type: text/csv\n"
    assert (
        raw_request(base, upload + "Content-Length: 209715200\n")
        == "HTTP/1.1 413 Request Entity Too Large"
    )
    assert (
        raw_request(base, upload + "Transfer-Encoding: chunked\n") == "HTTP/1.1 411 Length Required"
    )

    # DEBUG is off: an unknown page is the plain 404 page, not Django's debug page.
    with pytest.raises(urllib.error.HTTPError) as error:
        opener.open(base + "/no-such-page/", timeout=10)
    assert error.value.code == 404
    assert "URLconf" not in error.value.read().decode()


def test_gunicorn_sets_its_worker_timeout_explicitly():
    """`make serve` reads skillsportal/gunicorn.conf.py, which names the worker timeout."""
    settings = runpy.run_path(str(ROOT / "skillsportal" / "gunicorn.conf.py"))
    assert settings["timeout"] == 30
    assert settings["graceful_timeout"] == 30
    assert "-c skillsportal/gunicorn.conf.py" in (ROOT / "Makefile").read_text()
