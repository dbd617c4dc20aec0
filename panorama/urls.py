app_name = "panorama"

urlpatterns: list = []
