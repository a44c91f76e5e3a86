"""Forms of people and memberships; the roles offered are only those the acting membership may grant."""

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import rules
from ..models import Membership, Office, Role, User


def role_choices(roles) -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in roles]


class _GrantForm(forms.Form):
    """An office and a role; the role must be grantable in that very office."""

    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        # The same list in every office one manages; clean() checks the chosen office anyway.
        self.fields["role"].choices = role_choices(rules.grantable_roles(membership, membership.office))
        # The common case preselected, so that making an administrator always takes a deliberate choice.
        self.fields["role"].initial = Role.AGENT

    def chosen_office(self) -> Office | None:
        return self.cleaned_data.get("office")

    def clean(self):
        data = super().clean()
        office, role = self.chosen_office(), data.get("role")
        if office is not None and role and role not in rules.grantable_roles(self.membership, office):
            self.add_error("role", _("You cannot grant this role in this office."))
        return data


def _managed_active_offices(membership):
    return rules.offices_managed(membership).filter(is_active=True)


class UserCreateForm(_GrantForm, forms.ModelForm):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    password1 = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Enter the same password as before, for verification."),
    )
    field_order = ["office", "role", "username", "first_name", "last_name", "email", "password1", "password2"]

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, membership=membership, **kwargs)
        self.fields["office"].queryset = _managed_active_offices(membership)
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("A user with that username already exists."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two password fields didn’t match."))
        return data

    def _post_clean(self):
        super()._post_clean()  # fills self.instance, which the similarity validator compares with the password
        password = self.cleaned_data.get("password1")
        if password:
            try:
                validate_password(password, self.instance)
            except ValidationError as error:
                self.add_error("password1", error)

    def user_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        return data | {"password": self.cleaned_data["password1"]}


class MemberAddForm(_GrantForm):
    """Add an existing person, from any office of the network, to one office."""

    person = forms.CharField(label=_("Username or email"), max_length=254)
    field_order = ["person", "role"]

    def __init__(self, *args, membership: Membership, office: Office, **kwargs):
        self.office = office
        super().__init__(*args, membership=membership, **kwargs)
        self.fields["role"].choices = role_choices(rules.grantable_roles(membership, office))

    def chosen_office(self) -> Office:
        return self.office

    def clean_person(self) -> User:
        value = self.cleaned_data["person"].strip()
        user = User.objects.filter(username__iexact=value).first()
        if user is not None:
            return user
        users = list(User.objects.filter(email__iexact=value)[:2])
        if not users:
            raise ValidationError(_("No account matches this username or email."))
        if len(users) > 1:
            raise ValidationError(_("Several accounts use this email address: type the username."))
        return users[0]


class UserOfficeAddForm(_GrantForm):
    """Add a person one manages to another of one's offices."""

    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    field_order = ["office", "role"]

    def __init__(self, *args, membership: Membership, user: User, **kwargs):
        super().__init__(*args, membership=membership, **kwargs)
        already = Membership.objects.filter(user=user, is_active=True).values("office")
        self.fields["office"].queryset = _managed_active_offices(membership).exclude(pk__in=already)


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, membership: Membership, target: Membership, **kwargs):
        kwargs.setdefault("initial", {"role": target.role})
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(rules.grantable_roles(membership, target.office))
