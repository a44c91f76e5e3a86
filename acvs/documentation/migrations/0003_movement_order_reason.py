"""Order movements stored "Order #N" (or its translation) as their reason, in the language of whoever clicked.

The order is linked on the movement and its label is now translated when shown: empty those reasons.
"""

import re

from django.db import migrations

ORDER_REASON = re.compile(r"^\s*(?:order|commande)\s*(?:#|n\s*[°ºo]\.?)\s*(\d+)\s*$", re.IGNORECASE)


def neutral_reasons(apps, schema_editor):
    Movement = apps.get_model("documentation", "Movement")
    rows = Movement.objects.filter(order__isnull=False, kind__in=["transfer_in", "transfer_out"]).exclude(reason="")
    cleared = []
    for pk, order_id, reason in rows.values_list("pk", "order_id", "reason").iterator():
        match = ORDER_REASON.match(reason)
        if match and int(match.group(1)) == order_id:
            cleared.append(pk)
    for start in range(0, len(cleared), 500):
        Movement.objects.filter(pk__in=cleared[start : start + 500]).update(reason="")


class Migration(migrations.Migration):
    dependencies = [("documentation", "0002_document_version")]

    operations = [migrations.RunPython(neutral_reasons, migrations.RunPython.noop)]
