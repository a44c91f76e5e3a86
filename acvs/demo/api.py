"""API tokens of the demo offices: the partners' programs that read and update their offers, one revoked."""

import datetime

from django.utils import timezone

from acvs.api.models import ApiToken, Scope
from acvs.network.models import Office, User

# (office, token name, scopes, days since the last use or None, revoked)
TOKENS = [
    ("cavalaire", "Site web de l'office", [Scope.READ], 0, False),
    ("cavalaire", "Centrale de réservation des meublés", [Scope.READ, Scope.WRITE], 1, False),
    ("cavalaire", "Ancien site (prestataire remplacé)", [Scope.READ], 120, True),
    ("greoux-les-bains", "Site web de l'office", [Scope.READ], 2, False),
    ("greoux-les-bains", "Borne d'information de la place", [Scope.READ], None, False),
]


def fill(offices: dict[str, Office], users: dict[str, list[User]]) -> None:
    """Created as a manager does on the tokens page; their clear values are not kept (nobody could read them)."""
    now = timezone.now()
    rows = []
    for slug, name, scopes, used_days_ago, revoked in TOKENS:
        manager = next(u for u in users[slug] if u.username.startswith("direction."))
        prefix, raw = ApiToken.new_secret()
        created = now - datetime.timedelta(days=150 if revoked else 40)
        rows.append(
            ApiToken(
                office=offices[slug], name=name, prefix=prefix, secret_hash=ApiToken.digest(raw), scopes=scopes,
                created_by=manager, created_at=created,
                last_used_at=None if used_days_ago is None else now - datetime.timedelta(days=used_days_ago, hours=3),
                revoked_at=now - datetime.timedelta(days=100) if revoked else None,
                revoked_by=manager if revoked else None,
            )
        )  # fmt: skip
    ApiToken.objects.bulk_create(rows)
