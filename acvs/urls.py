from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.i18n import set_language
from django.views.static import serve

from acvs.network.logins import AdminLoginForm, LoginForm

admin.site.login_form = AdminLoginForm  # throttled like /login/ (acvs/network/logins.py)

urlpatterns = [
    path("", include("acvs.core.urls")),  # home and jobs, without a namespace
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("network/", include("acvs.network.urls")),
    path("offers/", include("acvs.offer.urls")),
    path("desk/", include("acvs.desk.urls")),
    path("agenda/", include("acvs.agenda.urls")),
    path("availability/", include("acvs.availability.urls")),
    path("booklets/", include("acvs.booklet.urls")),
    path("documentation/", include("acvs.documentation.urls")),
    path("contacts/", include("acvs.contacts.urls")),
    path("mailing/", include("acvs.mailing.urls")),
    path("campaigns/", include("acvs.campaigns.urls")),
    path("observatory/", include("acvs.observatory.urls")),
    path("interop/", include("acvs.interop.urls")),
    path("api/v1/", include("acvs.api.urls")),
    path("admin/", admin.site.urls),
]
if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}))

handler404 = "acvs.core.errors.page_not_found"
handler500 = "acvs.core.errors.server_error"
