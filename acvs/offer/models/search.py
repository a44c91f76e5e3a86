from django.db import models

from .offer import Offer


class SearchPosting(models.Model):
    """One search key of one offer: a row of offer_search_posting, which the database writes (migration 0005,
    PostgreSQL only). Read to page single-key searches (offer.postings) in the index's order."""

    pk = models.CompositePrimaryKey("key", "offer")
    key = models.TextField()
    offer = models.ForeignKey(Offer, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    status = models.CharField(max_length=10)
    rank = models.FloatField()
    name = models.CharField(max_length=200)

    class Meta:
        managed = False
        db_table = "offer_search_posting"

    def __str__(self):
        return f"{self.key} → {self.offer_id}"
