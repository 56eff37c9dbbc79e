"""
One shape for views: each declares the methods it answers, and reads what is posted
through a form, never by hand.
"""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
APPS = ("frameworks", "assessments", "reports")
HELPERS = {"assessments/views/errors.py"}  # how views show errors: no views in it
METHOD_DECORATORS = {"require_GET", "require_POST", "require_safe", "require_http_methods"}


def view_modules() -> list[Path]:
    found = []
    for app in APPS:
        found += [*(ROOT / app).glob("views*.py"), *(ROOT / app).glob("views/*.py")]
    return sorted(
        path
        for path in found
        if path.name != "__init__.py" and path.relative_to(ROOT).as_posix() not in HELPERS
    )


def views_of(path: Path):
    """The module's views: functions taking ``request`` first, and class-based views."""
    for node in ast.parse(path.read_text(), str(path)).body:
        if isinstance(node, ast.FunctionDef) and node.args.args:
            if node.args.args[0].arg == "request" and not node.name.startswith("_"):
                yield node
        elif isinstance(node, ast.ClassDef) and any(
            ast.unparse(base).endswith("View") for base in node.bases
        ):
            yield node


def declares_its_methods(view) -> bool:
    if isinstance(view, ast.ClassDef):
        return any(
            isinstance(statement, ast.Assign)
            and any(ast.unparse(target) == "http_method_names" for target in statement.targets)
            for statement in view.body
        )
    names = {ast.unparse(d.func if isinstance(d, ast.Call) else d) for d in view.decorator_list}
    return bool(names & METHOD_DECORATORS)


def reads_post_by_hand(view) -> bool:
    """
    ``request.POST`` anywhere but as a form's data: ``XForm(request.POST, ...)``, or bound
    as ``request.POST if request.method == "POST" else None``.
    """
    parent = {child: node for node in ast.walk(view) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(view):
        if ast.unparse(node) != "request.POST":
            continue
        holder = parent[node]
        binding = isinstance(holder, ast.IfExp) and ast.unparse(holder.test) in (
            "request.method == 'POST'",
            "posted",
        )
        to_form = isinstance(holder, ast.Call) and ast.unparse(holder.func).endswith(
            ("Form", "FormSet")
        )
        if not (binding or to_form):
            return True
    return False


def test_the_views_are_found():
    names = {(p.relative_to(ROOT).as_posix(), v.name) for p in view_modules() for v in views_of(p)}
    assert ("assessments/views/administration.py", "roster_preview") in names
    assert ("assessments/views/accounts.py", "SignInView") in names
    assert ("frameworks/views_interchange.py", "framework_import") in names


def test_every_view_declares_its_methods():
    undeclared = [
        f"{path.relative_to(ROOT)}: {view.name}"
        for path in view_modules()
        for view in views_of(path)
        if not declares_its_methods(view)
    ]
    assert undeclared == []


def test_posted_input_goes_through_forms():
    by_hand = {
        (path.relative_to(ROOT).as_posix(), view.name)
        for path in view_modules()
        for view in views_of(path)
        if reads_post_by_hand(view)
    }
    assert not by_hand, f"read by hand: {sorted(by_hand)}"


def test_the_scans_see_what_they_look_for():
    source = ast.parse(
        "def a(request):\n    request.POST.get('x')\n"
        "@require_POST\ndef b(request):\n    XForm(request.POST, x=request.POST if posted else None)\n"
        "class C(LoginView):\n    pass\n"
    )
    a, b, c = source.body
    assert reads_post_by_hand(a) and not reads_post_by_hand(b)
    assert not declares_its_methods(a) and declares_its_methods(b)
    assert not declares_its_methods(c)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "signed_in"),
    [
        ("accounts:login", False),
        ("accounts:password_reset", False),
        ("accounts:password_change", True),
    ],
)
def test_the_account_form_pages_refuse_other_methods(client, person, name, signed_in):
    """Django's form views would take a PUT as a POST."""
    if signed_in:
        client.force_login(person)
    assert client.put(reverse(name)).status_code == 405
