app_name = "education"

urlpatterns: list = []
api_urlpatterns: list = []
