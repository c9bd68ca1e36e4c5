"""A search document that holds a release's parts too, kept by triggers; typo suggestions.

The generated columns could only read the release's own row. The document now
holds the quotes, topics, image captions and document titles as well, so the
database keeps it with triggers: one on the release computes it, and one on each
part table recomputes the document of the release it belongs to. Every write path
(the admin, the ORM, bulk_create, update(), raw SQL) keeps it right. Each
language's text is stemmed for that language; the two are kept in one document,
so that a search reads and ranks one value per release. Weights: title A; lead,
quotations and speakers B; body C; the rest D.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

DOCUMENT_FUNCTION = r"""
CREATE OR REPLACE FUNCTION releases_search_document(
    release bigint, lang text, title text, lead text, body text, dateline text
) RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT
        setweight(to_tsvector(cfg, coalesce(title, '')), 'A')
        || setweight(to_tsvector(cfg, coalesce(lead, '')), 'B')
        || setweight(to_tsvector(cfg, coalesce((
            SELECT string_agg(
                concat_ws(' ', q.speaker, CASE lang WHEN 'da' THEN q.text_da ELSE q.text_en END),
                ' ')
            FROM releases_quote q WHERE q.release_id = release), '')), 'B')
        || setweight(to_tsvector(cfg, coalesce(body, '')), 'C')
        || setweight(to_tsvector(cfg, concat_ws(' ',
            dateline,
            (SELECT string_agg(CASE lang WHEN 'da' THEN q.role_da ELSE q.role_en END, ' ')
                FROM releases_quote q WHERE q.release_id = release),
            (SELECT string_agg(CASE lang WHEN 'da' THEN t.name_da ELSE t.name_en END, ' ')
                FROM releases_release_topics rt JOIN releases_topic t ON t.id = rt.topic_id
                WHERE rt.release_id = release),
            (SELECT string_agg(CASE lang WHEN 'da' THEN concat_ws(' ', i.caption_da, i.alt_da)
                                         ELSE concat_ws(' ', i.caption_en, i.alt_en) END, ' ')
                FROM releases_releaseimage i WHERE i.release_id = release),
            (SELECT string_agg(CASE lang WHEN 'da' THEN d.title_da ELSE d.title_en END, ' ')
                FROM releases_releasedocument d WHERE d.release_id = release)
        )), 'D')
    FROM (SELECT (CASE lang WHEN 'da' THEN 'danish' ELSE 'english' END)::regconfig AS cfg) c
$$;

CREATE OR REPLACE FUNCTION releases_release_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := releases_search_document(
            NEW.id, 'en', NEW.title_en, NEW.lead_en, NEW.body_en, NEW.dateline_en)
        || releases_search_document(
            NEW.id, 'da', NEW.title_da, NEW.lead_da, NEW.body_da, NEW.dateline_da);
    -- The words as written, unstemmed, in both languages: what typo suggestions offer.
    NEW.search_words := strip(to_tsvector('simple', concat_ws(' ',
        NEW.title_en, NEW.title_da, NEW.lead_en, NEW.lead_da, NEW.dateline_en, NEW.dateline_da,
        regexp_replace(concat_ws(' ', NEW.body_en, NEW.body_da), '<[^>]*>', ' ', 'g'),
        (SELECT string_agg(concat_ws(' ', q.speaker, q.text_en, q.text_da), ' ')
            FROM releases_quote q WHERE q.release_id = NEW.id))));
    RETURN NEW;
END
$$;

-- Setting search of a release makes its trigger compute its documents afresh.
CREATE OR REPLACE FUNCTION releases_part_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE releases_release SET search = NULL WHERE id = OLD.release_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.release_id <> OLD.release_id) THEN
        UPDATE releases_release SET search = NULL WHERE id = NEW.release_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION releases_topic_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE releases_release SET search = NULL WHERE id IN (
        SELECT release_id FROM releases_release_topics WHERE topic_id = NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER releases_release_search
    BEFORE INSERT OR UPDATE OF title_en, title_da, lead_en, lead_da, body_en, body_da,
        dateline_en, dateline_da, search, search_words
    ON releases_release FOR EACH ROW EXECUTE FUNCTION releases_release_search();
CREATE TRIGGER releases_quote_search AFTER INSERT OR UPDATE OR DELETE
    ON releases_quote FOR EACH ROW EXECUTE FUNCTION releases_part_search();
CREATE TRIGGER releases_image_search AFTER INSERT OR UPDATE OR DELETE
    ON releases_releaseimage FOR EACH ROW EXECUTE FUNCTION releases_part_search();
CREATE TRIGGER releases_document_search AFTER INSERT OR UPDATE OR DELETE
    ON releases_releasedocument FOR EACH ROW EXECUTE FUNCTION releases_part_search();
CREATE TRIGGER releases_topics_search AFTER INSERT OR UPDATE OR DELETE
    ON releases_release_topics FOR EACH ROW EXECUTE FUNCTION releases_part_search();
CREATE TRIGGER releases_topic_search AFTER UPDATE OF name_en, name_da
    ON releases_topic FOR EACH ROW EXECUTE FUNCTION releases_topic_search();

-- The document is read for every match of a search: kept in the row, compressed,
-- rather than in the TOAST table, which costs a lookup per read. The words are read
-- only to rebuild the suggestions: out of the row, so that rows stay small.
ALTER TABLE releases_release ALTER search SET STORAGE MAIN, ALTER search_words SET STORAGE EXTERNAL;

UPDATE releases_release SET search = NULL;
"""

DROP_FUNCTIONS = """
DROP TRIGGER releases_topic_search ON releases_topic;
DROP TRIGGER releases_topics_search ON releases_release_topics;
DROP TRIGGER releases_document_search ON releases_releasedocument;
DROP TRIGGER releases_image_search ON releases_releaseimage;
DROP TRIGGER releases_quote_search ON releases_quote;
DROP TRIGGER releases_release_search ON releases_release;
DROP FUNCTION releases_topic_search();
DROP FUNCTION releases_part_search();
DROP FUNCTION releases_release_search();
DROP FUNCTION releases_search_document(bigint, text, text, text, text, text);
"""


def _document_field():
    return django.contrib.postgres.search.SearchVectorField(editable=False, null=True)


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0002_mission_details_and_contributions"),
        ("releases", "0010_desk"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RemoveIndex(model_name="release", name="release_search_en"),
        migrations.RemoveIndex(model_name="release", name="release_search_da"),
        migrations.RemoveField(model_name="release", name="search_en"),
        migrations.RemoveField(model_name="release", name="search_da"),
        migrations.AddField(model_name="release", name="search", field=_document_field()),
        migrations.AddField(model_name="release", name="search_words", field=_document_field()),
        migrations.RunSQL(DOCUMENT_FUNCTION, DROP_FUNCTIONS),
        migrations.AddIndex(
            model_name="release",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search"], name="release_search"),
        ),
        migrations.AddIndex(
            model_name="release",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["title_en"], name="release_title_en_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="release",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["title_da"], name="release_title_da_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(max_length=200, primary_key=True, serialize=False)),
                ("releases", models.PositiveIntegerField(default=0)),
            ],
            options={
                "verbose_name": "search word",
                "verbose_name_plural": "search words",
                "indexes": [
                    django.contrib.postgres.indexes.GistIndex(
                        fields=["word"], name="searchword_trgm", opclasses=["gist_trgm_ops"]
                    )
                ],
            },
        ),
    ]
