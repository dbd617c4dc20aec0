"""Image bombs: a few kilobytes that declare 900 megapixels are refused everywhere, in French."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reseau_acv.core.visibility import Visibilite
from ressources import services
from ressources.models import Ressource
from tests.factories.rencontres import RencontreFactory
from tests.ressources.conftest import PDF

pytestmark = pytest.mark.django_db

REFUSED = "millions de pixels"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width: int, height: int) -> bytes:
    """A valid PNG header declaring ``width`` × ``height`` pixels, with a tiny compressed body."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


def bomb(name: str = "plan.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_declaring(30_000, 30_000), content_type="image/png")


def test_the_bomb_is_small_but_declares_900_megapixels():
    """The test file is a few kilobytes: only its header is huge."""
    assert len(png_declaring(30_000, 30_000)) < 2_000


def test_a_resource_file_bomb_is_refused_in_french(client, chef):
    """Proposing a resource with a 900-megapixel PNG shows the French refusal and stores nothing."""
    client.force_login(chef)
    response = client.post(
        "/ressources/proposer/",
        {"titre": "Plan guide", "type": "etude", "visibilite": "reseau", "fichier": bomb(), "action": "proposer"},
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not Ressource.objects.exists()


def test_a_file_version_bomb_is_refused(chef):
    """A new version that is an image bomb is refused; the resource keeps its one version."""
    ressource = services.ressource_create(
        actor=chef,
        data={"titre": "Étude", "type": "etude"},
        fichier=SimpleUploadedFile("v1.pdf", PDF, content_type="application/pdf"),
    )
    with pytest.raises(ValidationError) as error:
        services.ressource_update(actor=chef, ressource=ressource, data={}, fichier=bomb())
    assert REFUSED in error.value.messages[0]
    assert ressource.versions.count() == 1


def test_a_meeting_material_bomb_is_refused(client, equipe):
    """Staff attaching an image bomb to a meeting see the refusal; nothing is attached."""
    rencontre = RencontreFactory(visibilite=Visibilite.PUBLIC)
    client.force_login(equipe)
    data = {"materiau-titre": "Plan", "materiau-type": "presentation", "materiau-visibilite": "public"}
    response = client.post(
        reverse("rencontres:materiau-create", args=[rencontre.pk]), {**data, "materiau-fichier": bomb()}, follow=True
    )
    assert REFUSED in response.content.decode()
    assert rencontre.materiaux.count() == 0


def test_a_photo_bomb_is_refused_in_french(client, chef):
    """A profile photo declaring 900 megapixels is refused with the pixel limit in the message."""
    client.force_login(chef)
    response = client.post(
        "/comptes/profil/",
        {"first_name": "Léa", "last_name": "Martin", "telephone": "", "photo_upload": bomb("photo.png")},
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    chef.refresh_from_db()
    assert not chef.photo


def test_an_image_just_under_the_limit_is_accepted(settings):
    """An image below IMAGE_MAX_PIXELS passes the check (the limit is not a blanket refusal)."""
    from ressources.uploads import verify_upload

    settings.IMAGE_MAX_PIXELS = 40_000_000
    assert verify_upload(SimpleUploadedFile("plan.png", png_declaring(6_000, 6_000))).extension == "png"
    settings.IMAGE_MAX_PIXELS = 30_000_000
    with pytest.raises(ValidationError, match=REFUSED):
        verify_upload(SimpleUploadedFile("plan.png", png_declaring(6_000, 6_000)))
