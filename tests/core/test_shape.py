"""Every domain app has the house's shape (docs/architecture.md, "App shape"), so a newcomer finds things."""

import ast
import importlib.util
from pathlib import Path

from django.apps import apps

import acvs

# core is the base of the house (its helpers, audit and jobs), demo the loader on top: neither is a domain.
NOT_DOMAINS = {"acvs.core", "acvs.demo"}
MODULES = ("models", "services", "selectors", "views", "forms", "admin", "urls")


def test_every_domain_app_has_the_same_shape():
    domains = [c.name for c in apps.get_app_configs() if c.name.startswith("acvs.") and c.name not in NOT_DOMAINS]
    assert len(domains) >= 7
    missing = [
        f"{app}.{module}" for app in domains for module in MODULES if not importlib.util.find_spec(f"{app}.{module}")
    ]
    assert missing == []


def _is_view_module(module: str) -> bool:
    """`views`, `*_views` or a module of a `views/` package (the shapes "App shape" allows)."""
    return any(part == "views" or part.endswith("_views") for part in module.split(".")[2:])


def _other_apps_views(module: str, source: str, is_package: bool = False) -> list[str]:
    """The view modules of another app that `module` (acvs.<app>.…) imports, relative imports resolved."""
    app = module.split(".")[:2]
    # A relative import counts from the module's package: the module itself for a package's __init__.
    here = module.split(".") if is_package else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            package = here[: len(here) - node.level + 1] if node.level else []
            base = ".".join(package + ([node.module] if node.module else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [
            f"{module}:{node.lineno} imports {target}"
            for target in targets
            if target.startswith("acvs.") and target.split(".")[:2] != app and _is_view_module(target)
        ]
    return found


def test_no_view_calls_another_apps_view():
    """A page of one app that needs another's goes through that app's selectors, services or registries."""
    root = Path(acvs.__file__).parent
    modules = {
        ".".join(path.relative_to(root.parent).with_suffix("").parts).removesuffix(".__init__"): path
        for path in root.rglob("*.py")
    }
    view_modules = {module: path for module, path in modules.items() if _is_view_module(module)}
    assert len(view_modules) >= 10
    found = []
    for module, path in view_modules.items():
        found += _other_apps_views(module, path.read_text(), is_package=path.name == "__init__.py")
    assert found == []


def test_the_view_import_check_finds_the_forms_it_must():
    module = "acvs.documentation.views"
    assert _other_apps_views(module, "from acvs.desk import views as desk_views")
    assert _other_apps_views(module, "from ..desk.views import request_detail")
    assert _other_apps_views(module, "import acvs.network.views.switch")
    assert _other_apps_views(module, "from acvs.desk import advice_views")
    assert not _other_apps_views(module, "from . import order_views")
    assert _other_apps_views("acvs.network.views", "from ...desk import views", is_package=True)
    assert not _other_apps_views("acvs.network.views", "from .switch import switch_office", is_package=True)
    assert not _other_apps_views(module, "from acvs.desk import selectors")
    assert not _other_apps_views(module, "from django.views.decorators.http import require_POST")
