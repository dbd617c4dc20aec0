"""Lists of the library say « plus de 1 000 » instead of counting every visible row."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reseau_acv.core.pagination import CappedPaginator
from reseau_acv.core.visibility import Visibilite
from ressources.models import Ressource, Statut

pytestmark = pytest.mark.django_db


def _ressources(n: int) -> None:
    now = timezone.now()
    Ressource.objects.bulk_create(
        Ressource(
            titre=f"Guide {i}", slug=f"guide-{i}", statut=Statut.PUBLIE, visibilite=Visibilite.PUBLIC, publie_le=now
        )
        for i in range(n)
    )


def test_a_long_list_says_more_than_1000_and_still_pages(client):
    """With 1,030 public resources the library says « Plus de 1 000 ressources », offers its pages up to
    the cap, and its first page still shows 20."""
    _ressources(1030)
    page = client.get(reverse("ressources:ressource-list")).content.decode()
    assert "Plus de 1 000 ressources" in page
    assert page.count('class="card ressource-item"') == 20
    assert client.get(reverse("ressources:ressource-list"), {"page": 50}).status_code == 200


def test_a_short_list_gives_its_exact_count(client):
    """Under the cap the list counts exactly."""
    _ressources(12)
    assert "12 ressources" in client.get(reverse("ressources:ressource-list")).content.decode()


def test_the_capped_paginator_counts_at_most_the_cap_plus_one(django_assert_num_queries):
    """The paginator's count stops at the cap, says there are more, and costs one bounded query."""
    _ressources(30)
    paginator = CappedPaginator(Ressource.objects.order_by("-publie_le", "pk"), 10, cap=25)
    with django_assert_num_queries(1) as queries:
        assert paginator.count == 25
    assert "LIMIT 26" in queries.captured_queries[0]["sql"]
    assert paginator.capped
    assert paginator.num_pages == 3
    exact = CappedPaginator(Ressource.objects.all(), 10, cap=100)
    assert (exact.count, exact.capped) == (30, False)


def test_a_page_holds_the_rows_of_the_list_cut_in_its_order(django_assert_num_queries):
    """A page is the list cut at its place, in the list's order (its keys are found first from the
    index, then only its rows read, in the same query): the author's drafts first, then the newest."""
    from datetime import timedelta

    from tests.factories.comptes import ChefDeProjetFactory

    author = ChefDeProjetFactory()
    now = timezone.now()
    Ressource.objects.bulk_create(
        Ressource(
            titre=f"Guide {i}",
            slug=f"guide-{i}",
            statut=Statut.PUBLIE if i % 4 else Statut.BROUILLON,
            auteur=author if i % 4 == 0 else None,
            visibilite=Visibilite.RESEAU,
            publie_le=now - timedelta(days=i) if i % 4 else None,
        )
        for i in range(45)
    )
    listed = Ressource.objects.visible_to(author).order_by("-publie_le", "-cree_le", "pk")
    paginator = CappedPaginator(listed, 20)
    for number in (1, 2, 3):
        with django_assert_num_queries(2 if number == 1 else 1):  # the count, once
            rows = [r.titre for r in paginator.page(number).object_list]
        assert rows == [r.titre for r in listed[(number - 1) * 20 : number * 20]]
    assert paginator.page(1).object_list[0].statut == Statut.BROUILLON
