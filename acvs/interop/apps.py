from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

RDF_CAP = "ACVS_EXPORT_MAX_RDF_OFFERS"


class InteropConfig(AppConfig):
    name = "acvs.interop"
    verbose_name = _("Interoperability")

    def ready(self):
        from acvs.offer import exports

        from . import tasks  # noqa: F401 — registers its background jobs
        from .datatourisme import export

        exports.register(
            exports.Export(
                "ttl",
                _("DATAtourisme (Turtle)"),
                "text/turtle; charset=utf-8",
                "ttl",
                export.turtle,
                export.PREFETCH,
                RDF_CAP,
            )
        )
        exports.register(
            exports.Export(
                "jsonld",
                _("DATAtourisme (JSON-LD)"),
                "application/ld+json",
                "jsonld",
                export.json_ld,
                export.PREFETCH,
                RDF_CAP,
            )
        )
