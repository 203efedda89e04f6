app_name = "shippers"

urlpatterns: list = []
api_urlpatterns: list = []
