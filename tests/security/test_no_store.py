"""Nothing shown to a signed-in person may be kept by a browser or proxy cache."""

import pytest

from .conftest import ROLES
from .test_access_matrix import MATRIX, ROOT, _client_for, _url

pytestmark = pytest.mark.django_db


def test_every_answer_to_a_signed_in_person_says_no_store(client, world):
    """Every URL of the role × URL matrix, as every signed-in role, whatever the answer."""
    cached = []
    for name in sorted(MATRIX):
        url = _url(name, world.a, world)
        for role in (*ROLES, ROOT):
            response = _client_for(client, role, world.a, world).get(url)
            directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
            if not {"no-store", "private"} <= directives:
                cached.append(
                    f"{name} as {role} ({response.status_code}): {response.get('Cache-Control')!r}"
                )
    assert not cached, "\n".join(cached)


def test_static_files_keep_their_caching(client, world):
    client.force_login(world.a.staff)
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
