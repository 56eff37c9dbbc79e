"""import_framework and export_framework on the command line."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from frameworks.models import Framework
from frameworks.services import copy_framework, publish_framework

pytestmark = pytest.mark.django_db


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_to_standard_output_and_to_a_file(shipped_framework, tmp_path):
    out, _ = _run("export_framework", "k12-it-leadership", "--format", "case")
    assert json.loads(out)["CFDocument"]["version"] == "2026.1"
    target = tmp_path / "k12.csv"
    _, err = _run(
        "export_framework", "k12-it-leadership@2026.1", "--format", "csv", "--output", str(target)
    )
    assert target.read_text(encoding="utf-8").startswith("kind,parent,code")
    assert "k12-it-leadership@2026.1 written to" in err


def test_export_without_version_prefers_the_latest_published(shipped_framework):
    copy_framework(framework=shipped_framework)  # a newer draft, 2026.1.1
    out, _ = _run("export_framework", "k12-it-leadership", "--format", "csv")
    assert "k12-it-leadership,2026.1," in out
    newer = copy_framework(framework=shipped_framework)  # 2026.1.2
    publish_framework(framework=newer)
    out, _ = _run("export_framework", "k12-it-leadership", "--format", "csv")
    assert "k12-it-leadership,2026.1.2," in out


def test_export_of_an_unknown_framework():
    with pytest.raises(CommandError, match="There is no framework nope@1"):
        _run("export_framework", "nope@1", "--format", "case")


def test_import_dry_run_then_for_real(shipped_framework, tmp_path):
    path = tmp_path / "k12.json"
    _run("export_framework", "k12-it-leadership", "--format", "case", "--output", str(path))

    out, _ = _run("import_framework", str(path), "--dry-run")
    assert "Same content as k12-it-leadership@2026.1." in out
    assert "Dry run: nothing was written." in out
    assert Framework.objects.count() == 1

    out, _ = _run("import_framework", str(path), "--slug", "our-copy")
    assert "Imported as the draft our-copy version 2026.1" in out
    assert Framework.objects.get(slug="our-copy").competencies.count() == 25


def test_import_prints_the_changes(shipped_framework, tmp_path):
    path = tmp_path / "k12.csv"
    _run("export_framework", "k12-it-leadership", "--format", "csv", "--output", str(path))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Infrastructure modernization", "Infrastructure renewal", 1))
    out, _ = _run("import_framework", str(path), "--dry-run")
    assert "Competencies renamed (1):" in out
    assert "Infrastructure renewal" in out


def test_import_refusal_is_a_command_error_with_every_message(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"CFDocument": {}, "CFDocument": {}}')
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"bad\.json was not imported; nothing was written"):
        call_command("import_framework", str(path), stderr=err)
    assert 'error: The key "CFDocument" appears twice' in err.getvalue()


def test_import_needs_a_format_it_can_guess(tmp_path):
    path = tmp_path / "framework.txt"
    path.write_text("x")
    with pytest.raises(CommandError, match="Say --format case or csv"):
        _run("import_framework", str(path))
