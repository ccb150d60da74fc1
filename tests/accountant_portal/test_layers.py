"""Apps are layered and import only downward; the layers are written here, once."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. An app may import its own modules and the apps of the layers below it, nothing else:
# no arrow up, none sideways. invitations sits below bulk_import, which creates link requests and
# invites clients in bulk through invitations' services.
LAYERS = [
    {"core"},
    {"accounts"},
    {"firms"},
    {"invitations"},
    {"bulk_import", "books", "indicators"},
    {"accountant_portal"},
]
LAYER_OF = {app: number for number, apps in enumerate(LAYERS) for app in apps}


def imported_apps(source: str) -> set[str]:
    """The project apps that a module's source imports (absolute imports, at any depth)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & LAYER_OF.keys()


def upward_imports(root: Path) -> list[str]:
    problems = []
    for app, layer in LAYER_OF.items():
        for path in sorted((root / app).rglob("*.py")):
            for target in sorted(imported_apps(path.read_text(encoding="utf-8")) - {app}):
                if LAYER_OF[target] >= layer:
                    problems.append(f"{path.relative_to(root)} imports {target}")
    return sorted(problems)


def test_every_app_is_in_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"accountant_portal"}
    assert apps == set(LAYER_OF)


def test_imports_point_down_only():
    assert upward_imports(ROOT) == []


def test_the_check_finds_upward_and_sideways_imports(tmp_path):
    for app in LAYER_OF:
        (tmp_path / app).mkdir()
    lazy_import = "def f():\n    from invitations.models import Invitation\n"
    (tmp_path / "firms" / "selectors.py").write_text(lazy_import)
    (tmp_path / "books" / "views.py").write_text("import indicators.views\nfrom firms import access\n")
    (tmp_path / "core" / "text.py").write_text("from accounts.models import User\n")
    assert upward_imports(tmp_path) == [
        "books/views.py imports indicators",
        "core/text.py imports accounts",
        "firms/selectors.py imports invitations",
    ]
