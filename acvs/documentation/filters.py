"""Filters of the catalogue and of the movements list (django-filter); the exports reuse them."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from acvs.desk import reference
from acvs.desk.models import Theme
from acvs.network.models import Office

from .models import Document, Movement, MovementKind, Place


def _publishers(request):
    return Office.objects.filter(pk__in=Document.objects.values("publisher")).order_by("name")


def _languages():
    used = set(Document.objects.values_list("language", flat=True).distinct())
    return [(code, name) for code, name in reference.language_choices() if code in used]


def _moved_documents(request):
    return Document.objects.filter(pk__in=Movement.objects.values("document")).order_by("title")


class DateInput(forms.DateInput):
    input_type = "date"


class DocumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title, publisher or description"), method="search")
    language = django_filters.ChoiceFilter(label=_("Language"), choices=_languages, empty_label=_("All languages"))
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), field_name="themes", queryset=Theme.objects.all(), empty_label=_("All themes")
    )
    publisher = django_filters.ModelChoiceFilter(
        label=_("Publisher"), queryset=_publishers, empty_label=_("All publishers")
    )
    is_current = django_filters.ChoiceFilter(
        label=_("Edition"),
        choices=[("1", _("Current")), ("0", _("Out of print"))],
        empty_label=_("All editions"),
        method="current",
    )
    held = django_filters.BooleanFilter(
        label=_("In stock at my office"), method="in_my_stock", widget=forms.CheckboxInput
    )

    class Meta:
        model = Document
        fields = ["q", "language", "theme", "publisher", "is_current", "held"]

    def search(self, queryset, name, value):
        words = Q()
        for word in value.split():
            words &= (
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(publisher_name__icontains=word)
                | Q(publisher__name__icontains=word)
            )
        return queryset.filter(words)

    def current(self, queryset, name, value):
        return queryset.filter(is_current=value == "1")

    def in_my_stock(self, queryset, name, value):
        # `in_stock` is annotated by selectors.catalogue for the acting office.
        return queryset.filter(in_stock__gt=0) if value else queryset


class MovementFilter(django_filters.FilterSet):
    document = django_filters.ModelChoiceFilter(
        label=_("Document"), queryset=_moved_documents, empty_label=_("All documents")
    )
    kind = django_filters.ChoiceFilter(label=_("Movement"), choices=MovementKind.choices, empty_label=_("All kinds"))
    place = django_filters.ChoiceFilter(label=_("Place"), choices=Place.choices, empty_label=_("All places"))
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=DateInput(format="%Y-%m-%d")
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), field_name="at", lookup_expr="date__lte", widget=DateInput(format="%Y-%m-%d")
    )

    class Meta:
        model = Movement
        fields = ["document", "kind", "place", "date_from", "date_to"]
