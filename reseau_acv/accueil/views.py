from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from villes.models import Programme, Ville

from .dashboard import dashboard_panels


def home(request):
    """The public presentation of the network and its programmes."""
    context = {
        "programmes": list(Programme.objects.order_by("lancement")),
        "villes_reseau": list(Ville.objects.reseau().order_by("nom")),
        "nb_pvd": Ville.objects.of_programme("pvd").count(),
    }
    return render(request, "accueil/home.html", context)


@login_required
def dashboard(request):
    return render(request, "accueil/dashboard.html", {"panels": dashboard_panels(request.user)})
