app_name = "offer"
urlpatterns: list = []
