"""Licences moved from releases to core: the rows, the images' links and permissions survive."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import make_photo

BEFORE = [
    ("core", "0002_autosaved_form"),
    ("releases", "0014_image_rights_expiry"),
    ("missions", "0004_image_pipeline"),
]
AFTER = [
    ("core", "0003_licence"),
    ("releases", "0015_licence_moves_to_core"),
    ("missions", "0006_image_has_licence"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_moving_licences_to_core_keeps_licences_image_links_and_permissions():
    photo = default_storage.save("releases/1/images/a.jpg", ContentFile(make_photo(200, 100)))
    lead = default_storage.save("missions/2026/lead.jpg", ContentFile(make_photo(300, 200)))
    old = migrate(BEFORE)
    licence = old.get_model("releases", "Licence").objects.create(
        name="Pre-move", name_en="Pre-move", name_da="Før flytningen", url="https://example.org/"
    )
    release = old.get_model("releases", "Release").objects.create(
        title="Migration", title_en="Migration", slug="migration", slug_en="migration"
    )
    image = old.get_model("releases", "ReleaseImage").objects.create(
        release=release, image=photo, alt="A", licence=licence
    )
    organisation = old.get_model("missions", "Organisation").objects.create(name="NATO")
    with_image = old.get_model("missions", "Mission").objects.create(
        name="With", slug="with", organisation=organisation, image=lead
    )
    without = old.get_model("missions", "Mission").objects.create(
        name="Without", slug="without", organisation=organisation
    )
    content_types = old.get_model("contenttypes", "ContentType").objects
    content_type, _created = content_types.get_or_create(app_label="releases", model="licence")
    try:
        new = migrate(AFTER)
        moved = new.get_model("core", "Licence").objects.get(pk=licence.pk)
        assert (moved.name_en, moved.name_da, moved.url) == (
            "Pre-move",
            "Før flytningen",
            "https://example.org/",
        )
        assert new.get_model("releases", "ReleaseImage").objects.get(pk=image.pk).licence_id == (
            licence.pk
        )
        missions = new.get_model("missions", "Mission").objects
        oldest = new.get_model("core", "Licence").objects.order_by("pk").first()
        with_image = missions.get(pk=with_image.pk)
        assert with_image.image_licence_id == oldest.pk
        assert with_image.image_size == default_storage.size(lead) > 0
        assert missions.get(pk=without.pk).image_licence_id is None
        relabelled = new.get_model("contenttypes", "ContentType").objects.get(pk=content_type.pk)
        assert relabelled.app_label == "core"
    finally:
        migrate(AFTER)
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
