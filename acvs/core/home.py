"""The home page's panels: what needs the office's attention today, each shown by the app that knows it.

Core sits below every domain app, so an app registers its panel (a template reading its data through the app's own
template tag) when it loads; the page shows them in the order of INSTALLED_APPS.
"""

PANELS: list[str] = []


def register_panel(template_name: str) -> None:
    if template_name not in PANELS:
        PANELS.append(template_name)
