"""
Dependencies: hash-checked locks that `make` installs from, and floors in pyproject.toml
that are the versions the suite runs with. The Makefile is read with `make -n` (nothing
is installed or started), except `make demo-reset` where it must refuse.
"""

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ["pip", "base", "test", "load"]


def locked(name: str) -> dict[str, str]:
    """Package → pinned version of ``requirements/<name>.txt``; every pin carries hashes."""
    text = (ROOT / "requirements" / f"{name}.txt").read_text()
    pins = {}
    for block in re.split(r"\n(?=\S)", text):
        if block.startswith("#") or not block.strip():
            continue
        match = re.match(r"([A-Za-z0-9._-]+)==([^ ;\\]+)", block)
        assert match, f"{name}.txt: not an exact pin: {block.splitlines()[0]}"
        assert "--hash=sha256:" in block, f"{name}.txt: no hash for {match[1]}"
        pins[match[1].lower().replace("_", "-")] = match[2]
    return pins


@pytest.mark.parametrize("name", LOCKS)
def test_every_lock_pins_exact_versions_with_hashes(name):
    assert locked(name)


def test_the_floors_are_the_locked_versions_and_test_holds_base():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    base, test = locked("base"), locked("test")
    assert base.items() <= test.items()
    for lock, requirements in (
        (base, project["dependencies"]),
        (test, project["optional-dependencies"]["test"]),
    ):
        for requirement in map(Requirement, requirements):
            version = Version(lock[requirement.name.lower().replace("_", "-")])
            assert version in requirement.specifier, (requirement, version)
            floor = next(s.version for s in requirement.specifier if s.operator == ">=")
            release = Version(floor).release
            assert version.release[: len(release)] == release, (
                f"{requirement}: the lock has {version}; raise the floor to what is tested"
            )


def dry_run(*args: str) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    result = subprocess.run(
        [make, "-n", *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout


def test_make_serve_installs_the_runtime_lock_only_and_checks_hashes():
    out = dry_run("-W", "requirements/base.txt", "serve", "DATABASE_URL=sqlite:////tmp/x")
    assert "--require-hashes -r requirements/pip.txt" in out
    assert "--require-hashes --build-constraint .ci/build-constraints.txt" in out
    assert "-r requirements/base.txt" in out
    assert "requirements/test.txt" not in out


def test_make_test_installs_the_test_lock():
    out = dry_run("-W", "requirements/test.txt", "test")
    assert "--require-hashes" in out
    assert "-r requirements/test.txt" in out


def test_make_run_listens_on_port():
    out = dry_run("-o", ".venv/.installed-base", "run", "PORT=8080")
    assert "runserver 127.0.0.1:8080" in out


@pytest.mark.parametrize(
    "env",
    [{"DATABASE_URL": "sqlite:////tmp/not-the-demo.sqlite3"}, {"PRIVATE_STORAGE_ROOT": "/srv/x"}],
)
def test_make_demo_reset_deletes_nothing_but_the_default_database(env):
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    result = subprocess.run(
        [make, "--no-print-directory", "-o", ".venv/.installed-base", "demo-reset"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "nothing was deleted" in result.stderr
    assert "rm -rf" not in result.stdout
