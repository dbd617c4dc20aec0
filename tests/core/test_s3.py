"""Shared media on S3-compatible storage, against a local S3 server (moto in server mode)."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ressources import services
from tests.core.test_settings import PRODUCTION_ENV, _manage
from tests.ressources.conftest import PDF


@pytest.fixture
def bucket():
    """A bucket of its own for each test: moto's servers in one process share their state."""
    return f"reseau-acv-media-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def s3(settings, bucket):
    """A moto S3 server on a free local port, with the platform's bucket, as the default storage."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="cle", aws_secret_access_key="secret", region_name="us-east-1"
    )
    client.create_bucket(Bucket=bucket)
    options = {
        **settings.S3_STORAGE["OPTIONS"],
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "access_key": "cle",
        "secret_key": "secret",
        "region_name": "us-east-1",
    }
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.S3_STORAGE, "OPTIONS": options}}
    try:
        yield client
    finally:
        server.stop()


@pytest.mark.django_db
def test_an_uploaded_file_lives_in_the_bucket_and_downloads_for_members(s3, bucket, client, chef):
    """A resource's file is stored as a private object in the bucket and served by the platform's view."""
    ressource = services.ressource_create(
        actor=chef,
        data={"titre": "Étude commerce", "type": "etude", "visibilite": "reseau"},
        fichier=SimpleUploadedFile("etude.pdf", PDF, content_type="application/pdf"),
    )
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert ressource.fichier.name in keys
    acl = s3.get_object_acl(Bucket=bucket, Key=ressource.fichier.name)
    assert all(grant["Grantee"].get("URI", "").endswith("AllUsers") is False for grant in acl["Grants"])
    client.force_login(chef)
    response = client.get(f"/ressources/{ressource.slug}/fichier/")
    assert b"".join(response.streaming_content) == PDF
    assert Client().get(f"/ressources/{ressource.slug}/fichier/").status_code in {302, 404}


@pytest.mark.django_db
def test_the_health_check_writes_and_reads_the_bucket(s3, bucket):
    """/healthz/'s storage check passes on S3 and leaves no object behind."""
    from reseau_acv.core.health import run_checks

    result = run_checks(["storage"])["storage"]
    assert result.ok, result.detail
    assert "S3" in result.detail
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0


def test_production_switches_to_s3_when_a_bucket_is_named():
    """With AWS_STORAGE_BUCKET_NAME the production settings store media through django-storages."""
    command = "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"
    result = _manage("shell", "-v", "0", "-c", command, env={**PRODUCTION_ENV, "AWS_STORAGE_BUCKET_NAME": "media"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "storages.backends.s3.S3Storage"
    result = _manage("shell", "-v", "0", "-c", command, env=PRODUCTION_ENV)
    assert result.stdout.strip() == "django.core.files.storage.FileSystemStorage"
