from django.core.management.base import BaseCommand

from acvs.network.reference import load_communes, load_departments
from acvs.offer.reference import load_labels_and_features, load_offer_types


class Command(BaseCommand):
    help = "Load reference data: départements, communes (04, 83), DATAtourisme types, labels and features."

    def handle(self, *args, **options):
        self.stdout.write(f"Départements: {load_departments()}")
        self.stdout.write(f"Communes: {load_communes()}")
        self.stdout.write(f"Offer types: {load_offer_types()}")
        self.stdout.write(f"Labels and features: {load_labels_and_features()}")
