from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

latitude_validators = [MinValueValidator(-90), MaxValueValidator(90)]
longitude_validators = [MinValueValidator(-180), MaxValueValidator(180)]


class User(AbstractUser):
    """A person who logs in. Rights come from memberships, never from the user row itself."""

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username


class Department(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True, validators=[RegexValidator(r"^(\d{2,3}|2A|2B)$")])
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Commune(models.Model):
    """A French commune from the INSEE geographic code (COG)."""

    insee = models.CharField(_("INSEE code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    department = models.ForeignKey(
        Department, verbose_name=_("département"), on_delete=models.PROTECT, related_name="communes"
    )
    postcodes = models.CharField(_("postcodes"), max_length=200, help_text=_("Separated by |"))
    population = models.PositiveIntegerField(_("population"), default=0)
    epci_name = models.CharField(_("intercommunality"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), validators=latitude_validators)
    longitude = models.FloatField(_("longitude"), validators=longitude_validators)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.main_postcode})"

    @property
    def main_postcode(self) -> str:
        return self.postcodes.split("|")[0]

    @property
    def postcode_list(self) -> list[str]:
        return self.postcodes.split("|")


class Office(models.Model):
    """A member of the network: tourist office, CDT, union... Owns offers of its territory."""

    class Kind(models.TextChoices):
        OT = "ot", _("Tourist office")
        OTI = "oti", _("Intercommunal tourist office")
        SI = "si", _("Syndicat d'initiative")
        BIT = "bit", _("Tourist information point")
        CDT = "cdt", _("Departmental tourism committee (CDT)")
        UNION = "union", _("Union of tourist offices")

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OT)
    department = models.ForeignKey(
        Department, verbose_name=_("département"), on_delete=models.PROTECT, related_name="offices"
    )
    territory = models.ManyToManyField(
        Commune,
        verbose_name=_("territory"),
        blank=True,
        related_name="offices",
        help_text=_("Communes whose offers this office keeps up to date."),
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    phone = PhoneNumberField(_("phone"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="offices/logos/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    NETWORK_ADMIN = "network_admin", _("Network administrator")
    DEPARTMENT_ADMIN = "department_admin", _("Département administrator")
    MANAGER = "manager", _("Office manager")
    AGENT = "agent", _("Counter agent")
    PARTNER = "partner", _("Read-only partner")


class Membership(models.Model):
    """A user's role in one office. A person may belong to several offices."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENT)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "office"], name="membership_unique_user_office")]
        ordering = ["office__name", "user__last_name"]

    def __str__(self):
        return f"{self.user} — {self.office} ({self.get_role_display()})"
