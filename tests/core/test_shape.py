"""Every domain app has the house's shape (docs/architecture.md, "App shape"), so a newcomer finds things."""

import importlib.util

from django.apps import apps

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
