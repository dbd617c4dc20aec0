app_name = "rencontres"

urlpatterns: list = []
