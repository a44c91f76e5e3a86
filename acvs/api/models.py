import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from acvs.core.tenancy import scoped_manager

# A token reads "acvs_<prefix>_<secret>": the prefix finds the row, the secret is compared with its hash.
TOKEN_START = "acvs_"
PREFIX_LENGTH = 8


class Scope(models.TextChoices):
    READ = "read", _("Read offers, events and availability")
    WRITE = "write", _("Create and change the office's offers and availability")


class ApiToken(models.Model):
    """A key another trade's software uses to call the API for one office (office-private).

    Only the secret's SHA-256 is kept (the secret is random, 256 bits: a slow hash adds nothing); the clear token
    is shown once, when it is created. It acts with the rights its creator has in the office now, within its scopes.
    """

    office = models.ForeignKey(
        "network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Who uses it, e.g. “Website of the office”"))
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name

    @staticmethod
    def new_secret() -> tuple[str, str]:
        """(prefix, clear token)."""
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        return prefix, f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def matches(self, token: str) -> bool:
        return hmac.compare_digest(self.secret_hash, self.digest(token))

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    def allows(self, scope: str) -> bool:
        return scope in self.scopes
