"""Statistics of demand and offer/demand fit, from rollup tables kept by the worker."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

TASK_BATCH = 500


def _enqueue(marks) -> None:
    from .tasks import refresh_figures

    pairs = sorted([office_id, day.isoformat()] for office_id, day in marks)
    for start in range(0, len(pairs), TASK_BATCH):
        refresh_figures.enqueue(pairs[start : start + TASK_BATCH])


class ObservatoryConfig(AppConfig):
    name = "acvs.observatory"
    verbose_name = _("Observatory")

    def ready(self):
        from acvs.core import activity

        activity.register(_enqueue)
