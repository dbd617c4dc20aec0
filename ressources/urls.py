app_name = "ressources"

urlpatterns: list = []
