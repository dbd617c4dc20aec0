import pytest
from django.core.exceptions import ValidationError

from ressources import services
from ressources.models import FichierVersion, Ressource
from ressources.uploads import verify_upload

from .conftest import PDF, PNG, docx_bytes, odt_bytes

SVG_SCRIPT = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.mark.parametrize(
    ("name", "content", "mime", "extension"),
    [
        ("rapport.pdf", PDF, "application/pdf", "pdf"),
        ("photo.png", PNG, "image/png", "png"),
        ("note.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        ("note.odt", odt_bytes(), "application/vnd.oasis.opendocument.text", "odt"),
        ("commerces.csv", b"commune;vacance\nBlois;12 %\n", "text/csv", "csv"),
        ("lisez-moi.txt", "Réunion des chefs de projet\n".encode(), "text/plain", "txt"),
    ],
)
def test_accepted_kinds_are_recognised_by_content(upload, name, content, mime, extension):
    """PDF, office documents, images, CSV and plain text are accepted and typed by their content."""
    verified = verify_upload(upload(name, content))
    assert (verified.type_mime, verified.extension) == (mime, extension)


def test_pdf_renamed_exe_is_judged_by_content(upload):
    """A PDF named .exe is accepted as the PDF it is."""
    assert verify_upload(upload("programme.exe", PDF)).extension == "pdf"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", HTML),
        ("logo.png", SVG_SCRIPT),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'),
        ("script.txt", b"#!/bin/sh\nrm -rf /\n"),
        ("outil.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        ("archive.zip", b"PK\x05\x06" + b"\x00" * 18),
    ],
)
def test_active_or_unknown_content_is_refused_with_a_clear_message(upload, name, content):
    """HTML, SVG, scripts, executables and unknown archives are refused, whatever their name."""
    with pytest.raises(ValidationError) as error:
        verify_upload(upload(name, content))
    assert "n'est pas accepté" in error.value.messages[0]


def test_file_over_the_limit_is_refused(upload, settings):
    """A file over UPLOAD_MAX_BYTES is refused with its size limit in the message."""
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        verify_upload(upload("gros.pdf", PDF + b"0" * 200))
    assert "taille maximale" in error.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize("content", [HTML, SVG_SCRIPT])
def test_nothing_refused_is_stored(chef, upload, media, content):
    """A refused upload leaves no resource, no version and no file on disk."""
    with pytest.raises(ValidationError):
        services.ressource_create(
            actor=chef, data={"titre": "Piège", "type": "guide"}, fichier=upload("piege.pdf", content)
        )
    assert not Ressource.objects.exists()
    assert not FichierVersion.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.django_db
def test_stored_file_takes_the_extension_of_its_content(chef, upload):
    """A PDF uploaded as .exe is stored and offered for download as .pdf."""
    ressource = services.ressource_create(
        actor=chef, data={"titre": "Convention ORT", "type": "deliberation"}, fichier=upload("convention.exe", PDF)
    )
    assert ressource.fichier.name.endswith(".pdf")
    assert ressource.fichier_nom == "convention.pdf"
    assert ressource.fichier_type == "application/pdf"


@pytest.mark.django_db
def test_form_shows_the_refusal_and_stores_nothing(client, chef, upload):
    """The proposal form shows the French refusal for an HTML file named .pdf and creates nothing."""
    client.force_login(chef)
    response = client.post(
        "/ressources/proposer/",
        {"titre": "Piège", "type": "guide", "visibilite": "reseau", "fichier": upload("x.pdf", HTML)},
    )
    assert response.status_code == 200
    assert "n&#x27;est pas accepté" in response.content.decode() or "n'est pas accepté" in response.content.decode()
    assert not Ressource.objects.exists()
