"""A former base in Chromium: upload, columns and type labels mapped, dry run, a possible duplicate reviewed, commit."""

import os

from playwright.sync_api import expect

from acvs.network.models import Commune
from acvs.offer.models import Offer
from tests.conftest import PASSWORD
from tests.e2e.conftest import login
from tests.factories import OfferFactory

SCREENSHOTS = os.environ.get("ACVS_SCREENSHOTS")  # a folder to keep the pages' pictures in
FILE = "\r\n".join([
    "Libellé;Catégorie;Ville;CP;Lat;Lon;Tél",
    "Hôtel des Pins;Hôtel;Cavalaire-sur-Mer;83240;43,1720;6,5290;04 94 00 00 01",
    "Hôtel Plage;Hôtel;Cavalaire-sur-Mer;83240;43,1750;6,5300;",
    "La Table du Port;Resto;83036;;;;",
]).encode("cp1252")  # fmt: skip


def shot(page, name: str, tmp_path) -> None:
    page.screenshot(path=os.path.join(SCREENSHOTS, name) if SCREENSHOTS else tmp_path / name, full_page=True)


def test_a_manager_maps_checks_reviews_and_imports_a_former_base(page, manager, cavalaire, tmp_path):
    commune = Commune.objects.get(insee="83036")
    plage = OfferFactory(name="Hôtel de la Plage", owner_office=cavalaire, commune=commune, latitude=43.17,
                         longitude=6.53, types=["Hotel"])  # fmt: skip
    login(page, manager.username, PASSWORD)
    page.goto("/interop/imports/")
    page.locator("#legacy-link").click()
    page.get_by_label("Ancienne base", exact=True).fill("Fichier Excel 2015")
    page.get_by_label("Fichier").set_input_files({"name": "base.csv", "mimeType": "text/csv", "buffer": FILE})
    page.get_by_role("button", name="Faire correspondre les colonnes").click()

    # Guessed: Ville → commune, CP → postcode, Tél → phone; the office gives the others and the type labels.
    expect(page.get_by_label("Ville")).to_have_value("commune")
    page.get_by_label("Libellé", exact=True).select_option("name")
    page.get_by_label("Lat", exact=True).select_option("latitude")
    page.get_by_label("Lon", exact=True).select_option("longitude")
    expect(page.get_by_label("Catégorie")).to_have_value("type")
    page.locator("#mapping-types").get_by_label("Resto").select_option("Restaurant")
    expect(page.locator("#mapping-types").get_by_label("Hôtel")).to_have_value("Hotel")
    shot(page, "legacy-mapping.png", tmp_path)
    page.get_by_role("button", name="Vérifier le fichier").click()

    expect(page.locator("#import-counts")).to_contain_text("2 offres créées")
    expect(page.locator("#import-counts")).to_contain_text("1 doublon possible à revoir")
    expect(page.locator("#commit-form")).to_have_count(0)
    shot(page, "legacy-review.png", tmp_path)
    page.locator("#review-form").get_by_label("La même offre que").check()
    page.get_by_role("button", name="Enregistrer ces choix et vérifier à nouveau").click()

    expect(page.locator("#import-counts")).to_contain_text("1 offre mise à jour")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#commit-form button").click()
    expect(page.get_by_role("link", name="Hôtel des Pins")).to_be_visible()
    shot(page, "legacy-committed.png", tmp_path)
    plage.refresh_from_db()
    assert plage.name == "Hôtel Plage"
    assert Offer.objects.count() == 3
