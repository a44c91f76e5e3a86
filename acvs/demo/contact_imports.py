"""Contact files the demo offices imported: one done (a hiking fair's sign-up sheet, some people already known),
one checked and waiting, with a line the agent still has to correct or leave out."""

from acvs.contacts import importing
from acvs.network.models import Membership, Office, User

FAIR = """Nom;Courriel;Téléphone;Code postal;Commune;Pays;Langue;Étiquettes;Intérêts;Newsletter
Claire Fontaine;claire.fontaine@example.fr;06 21 43 65 87;69001;Lyon;France;fr;salon rando 2026;randonnée;oui
Thomas Weber;thomas.weber@example.de;+49 89 1234567;;;Allemagne;de;salon rando 2026;randonnée;oui
Sophie Martin;sophie.martin@example.fr;;13001;Marseille;France;fr;salon rando 2026;;non
Sophie M.;SOPHIE.MARTIN@example.fr;06 98 76 54 32;;;;;;;
Jan de Vries;jan.devries@example.nl;;;;Pays-Bas;nl;salon rando 2026;nature;oui
"""
PRESS = """Nom;Email;Pays
Rédaction Var Matin;redaction@example.fr;FR
Magazine Randonner;contact@randonner.example;FR
Journaliste freelance;pas-encore-d-adresse;FR
"""


def fill(offices: dict[str, Office], users: dict[str, list[User]]) -> None:
    office = offices.get("cavalaire")
    if office is None or not users.get("cavalaire"):
        return
    agent = next(u for u in users["cavalaire"] if u.username.startswith("accueil."))
    m = Membership.objects.select_related("office", "user").get(user=agent, office=office)
    run = importing.import_upload(membership=m, name="salon-randonnee-lyon.csv", content=FAIR.encode(),
                                  source="Salon du randonneur")  # fmt: skip
    run = importing.import_map(
        membership=m, run=run, columns=run.columns, origin="Salon du randonneur, Lyon, mars 2026",
        consent_text="J’accepte de recevoir la lettre d’information de l’office.",
    )  # fmt: skip
    importing.import_commit(membership=m, run=run)
    press = importing.import_upload(membership=m, name="contacts-presse.csv", content=PRESS.encode(), source="Presse")
    importing.import_map(membership=m, run=press, columns=press.columns, origin="", consent_text="")
