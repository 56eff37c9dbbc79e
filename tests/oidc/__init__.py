"""
A real OpenID Connect provider for the SSO tests: the `oidc-provider` npm package run by
provider.mjs beside this file (installed by `make test`'s `npm ci`), on a free port of
127.0.0.1, with the clients and accounts a test gives it. Its sign-in form is driven by
``sign_in_at_provider`` (plain HTTP) or by the browser.
"""

import json
import select
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

HERE = Path(__file__).resolve().parent
CLIENT_ID = "northfield-portal"
# How long a starting provider may take to answer (it takes about 0.3 s), and how often
# it is tried.
STARTUP_SECONDS = 20
STARTUP_ATTEMPTS = 3
CLIENT_SECRET = "northfield-client-secret-for-tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def account(email, *, verified=True, entra=False) -> dict:
    """
    An account of the provider; its subject is the login typed on its form (the email).
    ``entra``: its claims are Microsoft Entra ID's, ``xms_edov`` and no ``email_verified``.
    """
    claims = {"email": email, "name": email.split("@")[0]}
    claims |= {"xms_edov": verified} if entra else {"email_verified": verified}
    return {"claims": claims}


class Provider:
    """One provider process; ``restart`` brings it back on the same port (a new key)."""

    def __init__(self, *, redirect_uris, accounts, key_id="key-1", clock_offset=0, port=None):
        self.port = port or free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.config = {
            "port": self.port,
            "keyId": key_id,
            "clockOffsetSeconds": clock_offset,
            "clients": [
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": list(redirect_uris),
                    "token_endpoint_auth_method": "client_secret_basic",
                }
            ],
            "accounts": accounts,
        }
        self.process = None

    def start(self) -> "Provider":
        """
        Start the provider and wait until it answers. A process that has not answered in
        ``STARTUP_SECONDS`` is killed and started again: once in a CI run, a node process
        hung before listening, and the suite with it.
        """
        node = shutil.which("node")
        if node is None or not (HERE / "node_modules" / "oidc-provider").exists():
            pytest.fail("The test provider needs Node.js and `npm ci --prefix tests/oidc`.")
        for _ in range(STARTUP_ATTEMPTS):
            if self._started(node):
                return self
        pytest.fail(f"The OpenID Connect provider did not start in {STARTUP_ATTEMPTS} tries.")

    def _started(self, node: str) -> bool:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            json.dump(self.config, file)
        self.process = subprocess.Popen(
            [node, str(HERE / "provider.mjs"), file.name],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        ready, _, _ = select.select([self.process.stdout], [], [], STARTUP_SECONDS)
        line = self.process.stdout.readline() if ready else ""
        Path(file.name).unlink()
        if line.strip() == "listening":
            return True
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None
        return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def restart(self, **changes) -> None:
        self.stop()
        self.config.update(changes)
        self.start()


def sign_in_at_provider(authorize_url: str, login: str, redirect_uri: str) -> str:
    """
    Follow the provider's pages as a person would, signing in as ``login``; return the URL
    it sends the browser back to (the portal's callback with ``code`` and ``state``).
    """
    browser = requests.Session()
    url = authorize_url
    for _ in range(10):
        if url.startswith(redirect_uri):
            return url
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and 'name="prompt" value="login"' in response.text:
            form = {"prompt": "login", "login": login, "password": "any"}
            response = browser.post(url, data=form, allow_redirects=False, timeout=10)
        location = response.headers.get("Location")
        assert location, f"The provider answered {response.status_code}: {response.text[:300]}"
        url = urljoin(url, location)
    raise AssertionError("The provider never sent the browser back.")
