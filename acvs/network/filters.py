"""Filters of the management lists; their choices are limited to what the acting membership manages."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import Department, Office


def _departments(request):
    managed = rules.offices_managed(request.membership).values("department")
    return Department.objects.filter(pk__in=managed)


def _offices(request):
    return rules.offices_managed(request.membership)


class OfficeFilter(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        label=_("Département"), queryset=_departments, empty_label=_("All départements")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Office.Kind.choices, empty_label=_("All kinds"))

    class Meta:
        model = Office
        fields = ["department", "kind"]


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, username or email"), method="search")
    office = django_filters.ModelChoiceFilter(
        label=_("Office"),
        field_name="memberships__office",
        queryset=_offices,
        empty_label=_("All offices"),
        distinct=True,
    )

    def search(self, queryset, name, value):
        words = Q()
        for word in value.split():
            words &= (
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset.filter(words)
