"""Open redirects through next=, and no unescaped output outside a named allow-list."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The only places where output is not auto-escaped, and why: plain-text emails, where no
# HTML is involved and escaping would only garble names like "O'Brien".
ALLOWED_UNESCAPED = (
    "templates/assessments/email/",
    "templates/registration/password_reset_email.txt",
)
UNESCAPED = re.compile(r"\|\s*safe\b|autoescape\s+off|mark_safe\(|SafeString\(|\|\s*safeseq\b")
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "http:/\\\\evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_sign_in_never_redirects_off_site(client, person, target):
    response = client.post(
        f"/account/signin/?next={target}",
        {"username": person.email, "password": "a long enough passphrase", "next": target},
    )
    assert response.status_code == 302
    assert response.url == "/", response.url


def test_no_unescaped_output_outside_the_allow_list():
    found = []
    for path in [*ROOT.glob("templates/**/*.*"), *ROOT.glob("*/**/*.py")]:
        relative = str(path.relative_to(ROOT))
        if relative.startswith((".venv", "tests/", *ALLOWED_UNESCAPED)):
            continue
        text = TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8", errors="replace"))
        if UNESCAPED.search(text):
            found.append(relative)
    assert not found, f"unescaped output outside the allow-list: {found}"


def test_the_allow_list_names_real_places():
    for relative in ALLOWED_UNESCAPED:
        assert (ROOT / relative).exists(), relative


def test_the_scan_finds_unescaped_output(tmp_path):
    """The pattern the scan relies on catches each form of unescaped output."""
    for sample in ("{{ x|safe }}", "{% autoescape off %}", "mark_safe(x)", "{{ x | safeseq }}"):
        assert UNESCAPED.search(sample), sample
    assert not UNESCAPED.search(TEMPLATE_COMMENT.sub("", "{# never |safe #}"))
