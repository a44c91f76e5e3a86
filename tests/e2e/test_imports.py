"""Importing offers in Chromium: a Tourinsoft syndication chosen, checked, imported; a conflict settled."""

import json
import os
from pathlib import Path

from playwright.sync_api import expect

from acvs.offer.models import Offer
from tests.conftest import PASSWORD
from tests.e2e.conftest import login

SAMPLES = Path(__file__).resolve().parents[1] / "interop" / "samples"
SCREENSHOTS = os.environ.get("ACVS_SCREENSHOTS")  # a folder to keep the pages' pictures in


def shot(page, name: str, tmp_path) -> None:
    page.screenshot(path=os.path.join(SCREENSHOTS, name) if SCREENSHOTS else tmp_path / name, full_page=True)


def test_a_manager_imports_a_tourinsoft_syndication_then_settles_a_conflict(page, manager, tmp_path):
    login(page, manager.username, PASSWORD)
    page.goto("/interop/imports/")
    page.get_by_label("Source").select_option("tourinsoft")
    shot(page, "import-start.png", tmp_path)
    page.get_by_label("Fichier").set_input_files(str(SAMPLES / "tourinsoft" / "tourinsoftContentV3.json"))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.locator("#import-report")).to_contain_text("Chatel du Perche")
    expect(page.locator("#import-counts")).to_contain_text("2 offres créées")
    # The report's column is the record (a noun), the button imports (a verb): the same source strings elsewhere.
    expect(page.locator("#import-report thead th").first).to_have_text("Fiche")
    expect(page.locator("#commit-form button")).to_have_text("Importer")
    shot(page, "import-checked.png", tmp_path)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#commit-form button").click()
    expect(page.locator("#import-report")).to_contain_text("créée")
    expect(page.get_by_role("link", name="Chatel du Perche")).to_be_visible()

    # The office renames one, the source too: the next import lists the conflict.
    Offer.objects.filter(name="Hôtel du Perche").update(name="Hôtel du Perche (rénové)")
    data = json.loads((SAMPLES / "tourinsoft" / "tourinsoftContentV3.json").read_text())
    data["value"][0]["SyndicObjectName"] = "Hôtel du Perche – Brit Hotel"
    page.goto("/interop/imports/")
    page.get_by_label("Source").select_option("tourinsoft")
    page.get_by_label("Fichier").set_input_files(
        {"name": "perche.json", "mimeType": "application/json", "buffer": json.dumps(data).encode()}
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#commit-form button").click()
    conflict = page.locator(".import-conflict")
    expect(conflict).to_contain_text("Hôtel du Perche – Brit Hotel")
    expect(page.locator("#import-counts")).to_contain_text("1 champ modifié par l’office")
    shot(page, "import-conflict.png", tmp_path)
    conflict.get_by_role("button", name="Prendre la valeur de la source").click()
    expect(page.locator(".import-conflict")).to_contain_text("la valeur de la source a été prise")
    assert Offer.objects.filter(name="Hôtel du Perche – Brit Hotel").exists()


def test_a_manager_imports_an_apidae_event_with_its_structure_and_a_match_to_review(page, manager, cavalaire, tmp_path):
    """The event's managing structure is shown as a provider line; an offer typed by hand near the raft company,
    under another name, is proposed for review instead of being duplicated."""
    from acvs.network.models import Commune
    from tests.factories import OfferFactory

    hand = OfferFactory(name="Quey'Raft rafting", owner_office=cavalaire,
                        commune=Commune.objects.get(insee="05038"), latitude=44.76, longitude=6.7941,
                        types=["ServiceProvider"])  # fmt: skip
    objects = [json.loads((SAMPLES / "apidae" / f"{name}.json").read_text())["objetsTouristiques"][0]
               for name in ("apidaeEvent", "apidaeContent")]  # fmt: skip
    login(page, manager.username, PASSWORD)
    page.goto("/interop/imports/")
    page.get_by_label("Source").select_option("apidae")
    page.get_by_label("Fichier").set_input_files(
        {"name": "apidae.json", "mimeType": "application/json", "buffer": json.dumps(objects).encode()}
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.locator("#import-providers")).to_contain_text("1 prestataire créé")
    expect(page.locator("#import-report")).to_contain_text("(prestataire)")
    expect(page.locator("#review-form")).to_contain_text("Quey'Raft rafting")
    shot(page, "import-apidae-review.png", tmp_path)
    page.locator(f"input[name='match_3'][value='{hand.pk}']").check()
    page.locator("#review-form button").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#commit-form button").click()
    expect(page.get_by_role("link", name="Quey' Raft")).to_be_visible()
    shot(page, "import-apidae-committed.png", tmp_path)
    assert Offer.objects.count() == 2
    assert Offer.objects.get(imported_from__source_id="323154").provider.name == "Toto"


def test_a_manager_imports_a_datatourisme_flux_then_the_same_flux_changes_nothing(page, manager, tmp_path):
    """The flux zip checked and imported, then sent again: its objects are not even read (their dates in the
    flux's index are those imported), every line says "unchanged" and links to its offer, nothing moves."""

    def check_and_import():
        page.goto("/interop/imports/")
        page.get_by_label("Source").select_option("datatourisme")
        page.get_by_label("Fichier").set_input_files(str(SAMPLES / "flux-2024-oaz-sample.zip"))
        page.get_by_role("button", name="Vérifier le fichier").click()
        expect(page.locator("#import-report")).to_contain_text("CHÂTEAU ET REMPARTS DE LA CITÉ")
        expect(page.locator("#import-body")).to_contain_text("Rien n’a encore été enregistré")
        page.once("dialog", lambda dialog: dialog.accept())
        page.locator("#commit-form button").click()
        expect(page.locator("#commit-form")).to_have_count(0)

    login(page, manager.username, PASSWORD)
    check_and_import()
    expect(page.locator("#import-counts")).to_contain_text("5 offres créées")
    versions = dict(Offer.objects.values_list("pk", "version"))
    check_and_import()
    expect(page.locator("#import-counts")).to_contain_text("5 offres inchangées")
    expect(page.locator("#import-counts")).to_contain_text("0 offre créée")
    shot(page, "import-datatourisme-unchanged.png", tmp_path)
    expect(page.get_by_role("link", name="CHÂTEAU ET REMPARTS DE LA CITÉ DE CARCASSONNE")).to_be_visible()
    assert dict(Offer.objects.values_list("pk", "version")) == versions
