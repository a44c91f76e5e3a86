from django.core.management.base import BaseCommand

from acvs.network.models import Commune
from acvs.network.reference import load_communes, load_departments
from acvs.offer.models import Offer
from acvs.offer.reference import load_labels_and_features, load_offer_types
from acvs.offer.search import indexing


class Command(BaseCommand):
    help = "Load reference data: départements, every French commune, DATAtourisme types, labels and features."

    def handle(self, *args, **options):
        self.stdout.write(f"Départements: {load_departments()}")
        names = dict(Commune.objects.values_list("insee", "name"))
        self.stdout.write(f"Communes: {load_communes()}")
        # A commune's name is in the search document of its offers.
        renamed = [
            insee for insee, name in Commune.objects.values_list("insee", "name") if names.get(insee, name) != name
        ]
        indexing.schedule(Offer.objects.filter(commune_id__in=renamed).values_list("pk", flat=True))
        self.stdout.write(f"Offer types: {load_offer_types()}")
        self.stdout.write(f"Labels and features: {load_labels_and_features()}")
