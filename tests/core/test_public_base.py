"""The public pages' base (core/public_base.html): what every page shows outside the application (the office's
subscription page, the widgets) shares its head, and each fills in its stylesheet, classes and title."""

from django.template import Context, Template
from django.template.loader import get_template


def render(blocks: str, **context) -> str:
    return Template('{% extends "core/public_base.html" %}' + blocks).render(Context(context))


def test_the_blocks_fill_the_title_the_stylesheet_and_the_classes():
    html = render(
        "{% block title %}Cavalaire{% endblock %}{% block stylesheet %}/static/x.css{% endblock %}"
        "{% block body_class %}widget{% endblock %}{% block main_class %}container-fluid{% endblock %}"
        "{% block content %}<h1>Bienvenue</h1>{% endblock %}",
        lang="en",
    )
    assert html.startswith("<!doctype html>\n")  # the comment leaves nothing before the doctype
    assert '<html lang="en" data-theme="light">' in html
    assert "<title>Cavalaire</title>" in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'pico.jade.min.css">' in html
    assert '<link rel="stylesheet" href="/static/x.css">' in html
    assert '<body class="widget">' in html
    assert '<main class="container-fluid"><h1>Bienvenue</h1></main>' in html


def test_by_default_the_page_is_french_in_a_centred_container():
    html = render("{% block content %}x{% endblock %}")
    assert '<html lang="fr"' in html
    assert '<main class="container">x</main>' in html


def test_the_office_page_and_the_widgets_extend_it():
    for name in ("contacts/public/base.html", "interop/widget_base.html"):
        assert get_template(name).template.nodelist[0].parent_name.var == "core/public_base.html"
