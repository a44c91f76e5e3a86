from . import import_urls

app_name = "interop"

urlpatterns = [*import_urls.urlpatterns]
