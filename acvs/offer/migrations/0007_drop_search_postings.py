"""Drop the search postings of migration 0005 (5 tables, their functions and triggers) and the unmanaged model of
0006 that read them.

They answered broad searches from B-tree ranges kept up to date by triggers, and in doing so made concurrent label
changes deadlock, serialised offer creations on shared count rows, wrote during searches (no read-only replica), and
rebuilt everything on TRUNCATE while searches waited. Search now reads PostgreSQL's own index methods (migration
0008, acvs/offer/search/). The statements are 0005's own inverse, so exactly what it created goes.
"""

from importlib import import_module

from django.db import migrations

postings = import_module("acvs.offer.migrations.0005_search_postings")


class Migration(migrations.Migration):
    dependencies = [("offer", "0006_search_posting_model")]

    operations = [
        migrations.DeleteModel(name="SearchPosting"),
        migrations.RunPython(
            postings.run({"postgresql": postings.PG_BACKWARD}), postings.run({"postgresql": postings.PG_FORWARD})
        ),
    ]
