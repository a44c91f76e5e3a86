"""What the API answers: offers, providers, events, availability and types as JSON (and the write payload's
shape, which the offer form then validates: acvs/api/forms.py)."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from acvs.agenda.models import EventOccurrence, EventSchedule
from acvs.availability.models import State
from acvs.offer.models import OfferType, OpeningPeriod, Price, Provider, ProviderContact, Status
from acvs.offer.models.offer import CapacityUnit, PetsPolicy

from .forms import LANGUAGES


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class CodesField(serializers.Field):
    """The codes of related rows (types, labels, features), stable from one installation to another, sorted: read
    from `_<name>_codes` when a list read them in one query (rest_views.attach_codes), else from the relation."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, instance):
        codes = getattr(instance, f"_{self.field_name}_codes", None)
        if codes is None:
            codes = [row.code for row in getattr(instance, self.field_name).all()]
        return sorted(codes)


class CommuneSerializer(serializers.Serializer):
    insee = serializers.CharField()
    name = serializers.CharField()


class OfficeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class TypeSerializer(serializers.ModelSerializer):
    parents = CodesField()
    uri = serializers.CharField(read_only=True)

    class Meta:
        model = OfferType
        fields = ["id", "code", "label", "uri", "is_family", "parents"]


class OfferSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uuid = serializers.UUIDField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    types = CodesField()
    labels = CodesField()
    short_description = serializers.CharField()
    commune = CommuneSerializer()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    distance_km = serializers.FloatField(required=False, help_text="Around the search's centre, when it has one")
    owner_office = OfficeSerializer()
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpeningPeriod
        fields = ["start_date", "end_date", "weekdays", "opens", "closes", "note"]


class PriceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Price
        fields = ["label", "min_amount", "max_amount", "unit", "valid_from", "valid_to"]


class ProviderContactSerializer(serializers.ModelSerializer):
    phone = serializers.CharField()

    class Meta:
        model = ProviderContact
        fields = ["name", "role", "phone", "email"]


class ProviderSerializer(serializers.ModelSerializer):
    commune = CommuneSerializer(allow_null=True)
    phone = serializers.CharField()
    contacts = serializers.SerializerMethodField(help_text="The provider's staff: only for the owning office")
    owner_office = OfficeSerializer()

    class Meta:
        model = Provider
        fields = ["id", "name", "legal_name", "siret", "address", "commune", "phone", "email", "website",
                  "owner_office", "contacts", "version", "updated_at"]  # fmt: skip

    @extend_schema_field(ProviderContactSerializer(many=True))
    def get_contacts(self, provider) -> list:
        # Named people's phones and emails are the owning office's working data, not something to publish: a token
        # of another office (a website, a partner) reads the provider's public details only.
        if provider.owner_office_id != self.context.get("office_id"):
            return []
        return ProviderContactSerializer(provider.contacts.all(), many=True).data


class PhotoSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    credit = serializers.CharField()
    caption = serializers.CharField()

    @extend_schema_field(serializers.URLField())
    def get_url(self, photo) -> str:
        return self.context["request"].build_absolute_uri(photo.image.url)


class TextsSerializer(serializers.Serializer):
    short_description = serializers.CharField()
    description = serializers.CharField()


class ScheduleSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventSchedule
        fields = ["start_date", "end_date", "weekdays", "start_time", "end_time", "note"]


class OccurrenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventOccurrence
        fields = ["date", "start_time", "end_time", "places_left"]


class OfferDetailSerializer(OfferSummarySerializer):
    texts = serializers.SerializerMethodField(help_text="By language; a missing translation is empty")
    address = serializers.CharField()
    postcode = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    website = serializers.CharField()
    capacity_persons = serializers.IntegerField(allow_null=True)
    capacity_units = serializers.IntegerField(allow_null=True)
    capacity_unit = serializers.ChoiceField(choices=CapacityUnit.choices)
    languages = serializers.ListField(child=serializers.CharField())
    pets = serializers.ChoiceField(choices=PetsPolicy.choices)
    features = CodesField()
    provider = ProviderSerializer(allow_null=True)
    periods = PeriodSerializer(many=True)
    prices = PriceSerializer(many=True)
    photos = PhotoSerializer(many=True)
    schedules = ScheduleSerializer(many=True, source="event_schedules")
    occurrences = OccurrenceSerializer(many=True, source="upcoming", help_text="The next occurrences of an event")
    verified_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(serializers.DictField(child=TextsSerializer()))
    def get_texts(self, offer) -> dict:
        return {
            lang: {
                "short_description": getattr(offer, f"short_description_{lang}") or "",
                "description": getattr(offer, f"description_{lang}") or "",
            }
            for lang in settings.MODELTRANSLATION_LANGUAGES
        }


class PeriodInputSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    weekdays = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=6), required=False)
    opens = serializers.TimeField(required=False, allow_null=True)
    closes = serializers.TimeField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class PriceInputSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=150)
    min_amount = serializers.DecimalField(max_digits=9, decimal_places=2)
    max_amount = serializers.DecimalField(max_digits=9, decimal_places=2, required=False, allow_null=True)
    unit = serializers.ChoiceField(choices=Price.Unit.choices, required=False)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)


class OfferInputSerializer(serializers.Serializer):
    """The shape of an offer written through the API; its content is checked by the screens' offer form."""

    version = serializers.IntegerField(
        required=False, help_text="Required to update: the version read; a newer one on the server gives 409"
    )
    name = serializers.CharField(required=False, max_length=200)
    types = serializers.ListField(child=serializers.CharField(max_length=80), required=False, max_length=50)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    provider = serializers.IntegerField(required=False, allow_null=True)
    address = serializers.CharField(required=False, allow_blank=True, max_length=250)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=5)
    commune = serializers.CharField(required=False, max_length=100, help_text="INSEE code")
    latitude = serializers.FloatField(required=False, allow_null=True)
    longitude = serializers.FloatField(required=False, allow_null=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    website = serializers.CharField(required=False, allow_blank=True, max_length=200)
    capacity_persons = serializers.IntegerField(required=False, allow_null=True)
    capacity_units = serializers.IntegerField(required=False, allow_null=True)
    capacity_unit = serializers.ChoiceField(choices=CapacityUnit.choices, required=False)
    labels = serializers.ListField(child=serializers.CharField(max_length=80), required=False, max_length=100)
    features = serializers.ListField(child=serializers.CharField(max_length=80), required=False, max_length=200)
    languages = serializers.ListField(child=serializers.CharField(max_length=10), required=False, max_length=20)
    pets = serializers.ChoiceField(choices=PetsPolicy.choices, required=False)
    periods = PeriodInputSerializer(many=True, required=False, max_length=60)
    prices = PriceInputSerializer(many=True, required=False, max_length=60)

    def get_fields(self):
        fields = super().get_fields()
        for lang in LANGUAGES:
            fields[f"short_description_{lang}"] = serializers.CharField(required=False, allow_blank=True)
            fields[f"description_{lang}"] = serializers.CharField(required=False, allow_blank=True)
        return fields


class NightSerializer(serializers.Serializer):
    night = serializers.DateField()
    state = serializers.CharField(help_text="free, few, full, closed or unknown (not confirmed recently)")
    units_free = serializers.IntegerField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)


class AvailabilityInputSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="First night")
    end = serializers.DateField(help_text="Last night")
    state = serializers.ChoiceField(choices=State.choices)
    units_free = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=32767)


class ChangedNightsSerializer(serializers.Serializer):
    changed = serializers.IntegerField(help_text="Nights whose state changed")


class EventOccurrenceSerializer(OccurrenceSerializer):
    offer = OfferSummarySerializer(read_only=True)

    class Meta(OccurrenceSerializer.Meta):
        fields = ["offer", *OccurrenceSerializer.Meta.fields]
