"""The site's routes plus views that fail, for the error pages' tests (`@pytest.mark.urls`)."""

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import path

from acvs.urls import handler500, urlpatterns  # noqa: F401 (handler500: the site's, read from this module)


def boom(request):
    raise RuntimeError("a bug")


def broken_database(request):
    # On PostgreSQL the failed statement also aborts the transaction: any later query of the page fails too.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    *urlpatterns,
    path("boom/", boom),
    path("boom/database/", broken_database),
    path("boom/forbidden/", forbidden),
]
