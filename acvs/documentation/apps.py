from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentationConfig(AppConfig):
    name = "acvs.documentation"
    verbose_name = _("Documentation")

    def ready(self):
        from acvs.desk.services import CounterHandout, register_counter_handout

        from .forms import parse_handout
        from .services import handout

        register_counter_handout(CounterHandout(parse=parse_handout, record=handout))
