from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import rest_views, views

app_name = "api"


def endpoint(view_class):
    """An API view answers for itself (401 with a reason), instead of sending to the log-in page."""
    return login_not_required(view_class.as_view())


urlpatterns = [
    path("offers/", endpoint(rest_views.Offers), name="offers"),
    path("offers/<id:pk>/", endpoint(rest_views.OfferDetail), name="offer"),
    path("offers/<id:pk>/availability/", endpoint(rest_views.OfferAvailability), name="availability"),
    path("providers/", endpoint(rest_views.Providers), name="providers"),
    path("providers/<id:pk>/", endpoint(rest_views.ProviderDetail), name="provider"),
    path("events/", endpoint(rest_views.Events), name="events"),
    path("types/", endpoint(rest_views.Types), name="types"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path(
        "docs/",
        login_not_required(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
        ),
        name="docs",
    ),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<id:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
