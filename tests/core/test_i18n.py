"""The French catalogue is complete, up to date with the sources, and used when rendering in French."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "acvs" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# The booklet's catalogues (its visitors read it in six languages): French is complete like the application's.
# The apps with a locale directory of their own keep their strings there (makemessages puts them there): the booklet
# and the apps of contacts, mailing, observatory, interop and api, so that work on one never touches another's file.
APP_POS = sorted(ROOT.glob("acvs/*/locale/fr/LC_MESSAGES/django.po"))
ALL_POS = [PO, *APP_POS]
# The options of `make messages` (see the Makefile).
MAKEMESSAGES = ["makemessages", "-l", "fr", "--no-location", "--ignore=.venv", "--ignore=var", "--ignore=bench"]

needs_gettext = pytest.mark.skipif(
    not (shutil.which("msgfmt") and shutil.which("xgettext")), reason="GNU gettext tools are not installed"
)


def entries(po: Path) -> list[dict[str, str]]:
    """Every entry but the header and the obsolete ones: {"msgctxt", "msgid", "msgid_plural", "msgstr[n]"...: text},
    multi-line strings joined."""
    entries, current, key = [], {}, None
    for line in po.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#~"):  # obsolete entries are not part of the catalogue
            continue
        if not line or line.startswith("#"):
            if not line and current:
                entries.append(current)
                current, key = {}, None
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        if match:
            key = match.group(1)
            current[key] = ast.literal_eval(match.group(2))
        else:
            current[key] += ast.literal_eval(line)
    if current:
        entries.append(current)
    return [e for e in entries if e.get("msgid")]


def msgids(po: Path) -> set[tuple[str | None, str, str | None]]:
    """(msgctxt, msgid, msgid_plural) of every entry but the header."""
    return {(e.get("msgctxt"), e["msgid"], e.get("msgid_plural")) for e in entries(po)}


@needs_gettext
@pytest.mark.parametrize("po", ALL_POS, ids=lambda po: po.relative_to(ROOT).parts[1])
def test_catalogue_has_no_untranslated_or_fuzzy_entry(po):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), (
        f"{po.relative_to(ROOT)}: {statistics.rstrip('.')}. Translate every entry and remove the '#, fuzzy' flags."
    )


@needs_gettext
def test_catalogue_is_up_to_date_with_the_sources(tmp_path):
    shutil.copytree(ROOT / "acvs", tmp_path / "acvs", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    shutil.copy2(ROOT / "manage.py", tmp_path / "manage.py")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "acvs.settings"}
    env.pop("PYTHONPATH", None)  # import the copy, not the working tree
    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES, "-v0"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    committed = set().union(*(msgids(po) for po in ALL_POS))
    fresh = set().union(*(msgids(tmp_path / po.relative_to(ROOT)) for po in ALL_POS))
    missing, extra = sorted(fresh - committed, key=str), sorted(committed - fresh, key=str)
    assert (missing, extra) == ([], []), (
        "The French catalogue is stale: run `make messages`, translate the new entries and commit "
        "acvs/locale/fr/LC_MESSAGES/django.po, the apps' acvs/<app>/locale/fr/LC_MESSAGES/django.po and their .mo.\n"
        f"Missing from the catalogue ({len(missing)}): {missing}\n"
        f"No longer in the sources ({len(extra)}): {extra}"
    )


def test_one_source_string_has_one_french_wording():
    # Django merges the catalogues and the first app's wins: a string translated two ways would read differently
    # depending on INSTALLED_APPS, so a page's wording must not hang on which app holds the string.
    wordings = {}
    for po in ALL_POS:
        for e in entries(po):
            key = (e.get("msgctxt"), e["msgid"], e.get("msgid_plural"))
            wording = tuple(v for k, v in sorted(e.items()) if k.startswith("msgstr"))
            wordings.setdefault(key, {}).setdefault(wording, []).append(str(po.relative_to(ROOT)))
    clashes = {key[1]: list(ways.values()) for key, ways in wordings.items() if len(ways) > 1}
    assert not clashes, clashes


def test_french_is_rendered():
    with translation.override("fr"):
        assert gettext("Log in") == "Se connecter"
        assert gettext("Save") == "Enregistrer"
        assert gettext("Changes saved.") == "Modifications enregistrées."
        assert gettext("Verified, nothing changed") == "Vérifié, rien n’a changé"
        assert gettext("Within") == "Dans un rayon de"
        assert gettext("Search") == "Rechercher"
        assert pgettext("search field", "Search") == "Recherche"
        assert gettext("Counter agent") == "Agent d’accueil"
        # One source string, two meanings: the context tells them apart.
        assert gettext("Record") == "Enregistrer"
        assert pgettext("imported record", "Record") == "Fiche"
        assert gettext("Answer") == "Réponse"
        assert pgettext("action", "Answer") == "Répondre"
        assert gettext("Import") == "Import"
        assert pgettext("action", "Import") == "Importer"
        assert gettext("to") == "au"
        assert pgettext("email", "to") == "destinataire"
        offers = "%(counter)s offer", "%(counter)s offers"
        assert ngettext(*offers, 1) % {"counter": 1} == "1 offre"
        assert ngettext(*offers, 2) % {"counter": 2} == "2 offres"
    with translation.override("en"):
        assert gettext("Log in") == "Log in"
