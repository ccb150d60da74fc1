"""Apps are layered and point only downward; the layers are written here, once.

Checked: the Python imports (absolute, at any depth), and the URLs an app names: in its templates
(`{% url %}`; a template in templates/<app>/ is <app>'s), literally in Python (reverse(), redirect() and the
like), and in its lists of URL namespaces (names ending in _NAMESPACES, such as the plan guard's). A URL name
is the app's whose view it leads to: a namespace such as company: gathers pages of several apps. URL names
built at run time are not checked.
"""

import ast
import re
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

# Template folders not named after an app, and whose they are. Files directly in templates/ (base.html, the
# error pages) are the site's frame: the top layer's.
TEMPLATE_FOLDERS = {"account": "accounts", "allauth": "accounts", "emails": "core"}

# A lower app's links to pages of the apps above it, each on purpose: place -> (those apps, why).
UPWARD_URLS_ALLOWED = {
    "templates/firms/partials/company_menu.html": (
        {"books", "indicators", "invitations"},
        "the company area's menu (in base.html): the site's navigation, it links every app's company pages",
    ),
    "templates/firms/partials/workspace_menu.html": (
        {"bulk_import", "indicators", "invitations"},
        "the workspace menu (in base.html): the site's navigation, it links every app's workspace pages",
    ),
    "templates/firms/workspace_home.html": (
        {"bulk_import", "invitations"},
        "the board's buttons start the clients' flows: Añadir cliente, Crear empresa, Importar",
    ),
    "templates/firms/partials/company_table.html": (
        {"invitations"},
        "each row of the board offers its link request's or invitation's Reenviar and Revocar",
    ),
    "templates/firms/company_home.html": (
        {"books", "invitations"},
        "the company's summary leads to its chart of accounts and to Invitar al cliente",
    ),
    "templates/firms/access_team.html": ({"invitations"}, "a company's team goes back to Equipo"),
    "firms/team_views.py": ({"invitations"}, "a change of role or assignment goes back to Equipo"),
}

TEMPLATE_URL = re.compile(r"""\{%\s*url\s+(['"])([^'"]+)\1""")
PYTHON_URL_CALLS = {"reverse", "reverse_lazy", "redirect", "resolve_url"}


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


def url_name_apps() -> dict[str, str | None]:
    """Every URL name ("namespace:name") and the project app whose view it leads to (None: Django's or a
    library's, such as the admin and allauth)."""
    from django.urls import URLResolver, get_resolver

    found: dict[str, str | None] = {}

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
            elif pattern.name:
                app = getattr(pattern.callback, "__module__", "").split(".")[0]
                found.setdefault(prefix + pattern.name, app if app in LAYER_OF else None)

    walk(get_resolver().url_patterns, "")
    return found


def template_app(template: Path, templates: Path) -> str:
    parts = template.relative_to(templates).parts
    return "accountant_portal" if len(parts) == 1 else TEMPLATE_FOLDERS.get(parts[0], parts[0])


def _string(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def python_url_names(source: str) -> set[str]:
    """The URL names a module gives literally to reverse(), redirect() and the like (or as pattern_name)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        called = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if called in PYTHON_URL_CALLS and node.args and _string(node.args[0]):
            found.add(_string(node.args[0]))
        found |= {_string(kw.value) for kw in node.keywords if kw.arg == "pattern_name" and _string(kw.value)}
    return found


def namespace_lists(source: str) -> set[str]:
    """The namespaces a module lists (the strings assigned to a name ending in _NAMESPACES)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(getattr(target, "id", "").endswith("_NAMESPACES") for target in targets):
                found |= {_string(item) for item in ast.walk(node.value) if _string(item)}
    return found


def upward_urls(root: Path, urls: dict[str, str | None]) -> list[tuple[str, str, str]]:
    """(place, URL name or namespace, app) for each URL that an app names of an app above it or beside it."""
    namespaces: dict[str, set] = {}
    for name, app in urls.items():
        if ":" in name:
            namespaces.setdefault(name.rsplit(":", 1)[0], set()).add(app)
    named: list[tuple[Path, str, dict[str, set]]] = []
    templates = root / "templates"
    for path in sorted(templates.rglob("*")) if templates.is_dir() else []:
        if path.is_file():
            names = {match[1] for match in TEMPLATE_URL.findall(path.read_text(encoding="utf-8"))}
            named.append((path, template_app(path, templates), {name: {urls.get(name)} for name in names}))
    for app in LAYER_OF:
        for path in sorted((root / app).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            names = {name: {urls[name]} for name in python_url_names(source) if name in urls}
            lists = {namespace: namespaces.get(namespace, set()) for namespace in namespace_lists(source)}
            named.append((path, app, names | lists))
    problems = []
    for path, app, targets in named:
        for name, apps in sorted(targets.items()):
            for target in sorted(apps - {app, None}):
                if LAYER_OF[target] >= LAYER_OF[app]:
                    problems.append((path.relative_to(root).as_posix(), name, target))
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


def test_every_template_folder_belongs_to_an_app():
    folders = {path.name for path in (ROOT / "templates").iterdir() if path.is_dir()}
    assert {TEMPLATE_FOLDERS.get(folder, folder) for folder in folders} <= set(LAYER_OF)


def test_urls_named_point_down_only_but_for_the_links_allowed():
    found = upward_urls(ROOT, url_name_apps())
    unexpected = [
        f"{place} names {name} ({app})"
        for place, name, app in found
        if app not in UPWARD_URLS_ALLOWED.get(place, (set(), ""))[0]
    ]
    assert unexpected == []
    # Each allowance is still needed: a link that is gone takes its allowance with it.
    used = {(place, app) for place, _name, app in found}
    stale = [(place, app) for place, (apps, _why) in UPWARD_URLS_ALLOWED.items() for app in apps]
    assert [allowance for allowance in stale if allowance not in used] == []


def test_the_check_finds_upward_urls_in_templates_python_and_namespace_lists(tmp_path):
    for app in LAYER_OF:
        (tmp_path / app).mkdir()
    (tmp_path / "templates" / "firms").mkdir(parents=True)
    (tmp_path / "templates" / "firms" / "page.html").write_text(
        "{% url 'books:entry_list' company_slug=c.slug %} {% url \"firms:home\" %} {% url 'home' %}"
    )
    (tmp_path / "templates" / "base.html").write_text("{% url 'books:entry_list' %}")
    (tmp_path / "firms" / "middleware.py").write_text('GUARDED_NAMESPACES = {"firms", "company"}\n')
    (tmp_path / "invitations" / "views.py").write_text(
        'def f():\n    return redirect("tax:calendar"), reverse_lazy("firms:home")\n'
    )
    urls = {
        "books:entry_list": "books",
        "firms:home": "firms",
        "company:home": "firms",
        "company:calendar": "indicators",
        "tax:calendar": "indicators",
        "home": None,
    }
    assert upward_urls(tmp_path, urls) == [
        ("firms/middleware.py", "company", "indicators"),
        ("invitations/views.py", "tax:calendar", "indicators"),
        ("templates/firms/page.html", "books:entry_list", "books"),
    ]
