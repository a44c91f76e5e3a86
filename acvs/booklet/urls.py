app_name = "booklet"

urlpatterns = []
