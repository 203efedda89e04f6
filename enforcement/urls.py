app_name = "enforcement"

urlpatterns: list = []
api_urlpatterns: list = []
