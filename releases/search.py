"""Release search: every word if possible, else most of them, with typo suggestions."""

import functools
import html
import operator
import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe

from releases.models import Quote, Release, SearchWord

CONFIGS = {"en": "english", "da": "danish"}

# Markers around matched words in snippets; replaced by <mark> after escaping.
MARK_START, MARK_STOP = "\x02", "\x03"

# Characters of lead, body and quotations a snippet is chosen from: the cost of a
# snippet grows with its text.
PASSAGE_LIMIT = 6000

# A quoted phrase (maybe negated, maybe unclosed) or a run of non-space characters.
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Terms:
    """A query as PostgreSQL's websearch syntax reads it, split into its parts.

    ``positive`` and ``negative`` hold websearch fragments (a word or a quoted
    phrase); ``prefix`` is the last word when it may be unfinished, matched as
    the beginning of a word; ``alternatives`` is set when the reader typed "or".
    """

    text: str
    positive: tuple = ()
    negative: tuple = ()
    prefix: str = ""
    alternatives: bool = False

    @classmethod
    def parse(cls, text):
        positive, negative, alternatives = [], [], False
        last_is_word = False
        for match in _TOKEN.finditer(text):
            minus, phrase, word = match.groups()
            last_is_word = False
            if phrase is not None:
                if phrase.strip():
                    (negative if minus else positive).append(f'"{phrase.strip()}"')
            elif word.lower() == "or":
                alternatives = True
            elif word.startswith("-") and len(word) > 1:
                negative.append(word[1:])
            elif word != "-":
                positive.append(word)
                last_is_word = True
        prefix = ""
        if last_is_word and not alternatives and _WORD.fullmatch(positive[-1]):
            prefix = positive.pop()
        return cls(text, tuple(positive), tuple(negative), prefix, alternatives)

    def __bool__(self):
        return bool(self.positive or self.prefix)

    def phrases(self):
        return [term for term in self.positive if term.startswith('"')]

    def words(self):
        """The words the reader is looking for, as typed."""
        return _WORD.findall(" ".join((*self.positive, self.prefix)))

    def every_word(self, config):
        """The query that needs every positive term (quotes as phrases, "or" as typed)."""
        if self.alternatives:
            text = " ".join(self.positive)
            return SearchQuery(text, config=config, search_type="websearch")
        return _combine(operator.and_, self._term_queries(config))

    def any_word(self, config):
        """The query that any one positive term satisfies."""
        return _combine(operator.or_, self._term_queries(config))

    def excluded(self, config):
        """The query that a release matches when it has any negated term, or None."""
        if not self.negative:
            return None
        return SearchQuery(" or ".join(self.negative), config=config, search_type="websearch")

    def _term_queries(self, config):
        queries = [SearchQuery(t, config=config, search_type="websearch") for t in self.positive]
        if self.prefix:
            # A prefix needs the raw syntax; the word holds letters and digits only.
            queries.append(SearchQuery(f"'{self.prefix}':*", config=config, search_type="raw"))
        return queries


def _combine(op, queries):
    return functools.reduce(op, queries)


def _either(terms_query):
    """The query in each language's stemming; a release's document may satisfy either."""
    return terms_query("english") | terms_query("danish")


def _matches(terms_query):
    return Q(search=_either(terms_query))


def strict(releases, terms):
    """The releases that have every term, in either language, best first."""
    if not terms:
        return releases.none()
    releases = _without_excluded(releases, terms).filter(_matches(terms.every_word))
    return releases.annotate(rank=_rank(terms.every_word)).order_by("-rank", "-published_at", "-pk")


def any_word(releases, terms):
    """The releases that have any term, best ranked first."""
    if not terms:
        return releases.none()
    releases = _without_excluded(releases, terms).filter(_matches(terms.any_word))
    return releases.annotate(rank=_rank(terms.any_word)).order_by("-rank", "-published_at", "-pk")


def most_words(releases, terms):
    """``releases`` with most of the terms first, then best ranked."""
    found_terms = sum(
        (
            Case(When(search=english | danish, then=Value(1)), default=Value(0))
            for english, danish in zip(
                terms._term_queries("english"), terms._term_queries("danish"), strict=True
            )
        ),
        Value(0),
    )
    return releases.annotate(found=found_terms, rank=_rank(terms.any_word)).order_by(
        "-found", "-rank", "-published_at", "-pk"
    )


def title_like(releases, terms):
    """The releases whose title looks like the words typed (pg_trgm), most alike first.

    The last resort, when no release has any of the words: misspelt words still find
    a title that has them spelt right.
    """
    phrase = " ".join(terms.words())
    if not phrase or terms.phrases():
        # Quotation marks ask for these words in this order: no look-alike titles.
        return releases.none()
    alike = Q(title_en__trigram_word_similar=phrase) | Q(title_da__trigram_word_similar=phrase)
    likeness = Greatest(
        Coalesce(TrigramWordSimilarity(Value(phrase), "title_en"), 0.0),
        Coalesce(TrigramWordSimilarity(Value(phrase), "title_da"), 0.0),
        output_field=FloatField(),
    )
    releases = _without_excluded(releases, terms).filter(alike)
    return releases.annotate(likeness=likeness).order_by("-likeness", "-published_at", "-pk")


def _without_excluded(releases, terms):
    if not terms.negative:
        return releases
    return releases.exclude(_matches(terms.excluded))


def _rank(terms_query):
    """Cover density rank: matched words close together and in heavier fields rank higher."""
    return SearchRank(F("search"), _either(terms_query), cover_density=True)


class _CountedPaginator(Paginator):
    """A paginator told its count by the query that fetched the page."""

    def __init__(self, count, per_page):
        super().__init__([], per_page)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


@dataclass
class Results:
    """One page of a search: the releases, the paginator, and how they were found."""

    page: Page
    every_word: bool
    suggestion: str = ""
    # Found by a title like the words, none of the releases having any of them.
    by_title: bool = False

    @property
    def count(self):
        return self.page.paginator.count


def search(releases, text, language, page_number=1, per_page=20):
    """Every word if any release has them all, else the releases with most of them.

    ``releases`` is already narrowed to what the reader may see and chose.
    Raises ``django.core.paginator.InvalidPage`` for a page past the end.
    """
    terms = Terms.parse(text)
    offset = (page_number - 1) * per_page
    found = strict(releases, terms)
    page = _ranked_page(found, offset, per_page)
    total = page[0][1] if page else (found.count() if offset else 0)
    every_word = bool(total)
    if not every_word:
        page, total = _most_words_page(any_word(releases, terms), terms, offset, per_page)
    by_title = not total
    if by_title:
        found = title_like(releases, terms)
        page = _ranked_page(found, offset, per_page)
        total = page[0][1] if page else (found.count() if offset else 0)
    ids = [pk for pk, _total in page]
    # A query of excluded words only (say "-1") finds nothing and has nothing to mark.
    found_page = releases.model.objects.filter(pk__in=ids)
    fetched = with_snippet(found_page, terms, language, every_word) if ids else []
    by_id = {release.pk: release for release in fetched}
    rows = [by_id[pk] for pk in ids]
    suggestion = "" if every_word and total else suggest(terms)
    paginator = _CountedPaginator(total, per_page)
    number = paginator.validate_number(page_number)
    return Results(Page(rows, number, paginator), every_word, suggestion, by_title)


# How many of the best ranked releases with any of the words are put in order of how
# many words they have. Counting the words of every match would read every match's
# document once per word: most releases, for common words.
MOST_WORDS_POOL = 200


def _most_words_page(found, terms, offset, limit):
    """One page of the releases with any word: most words first among the best ranked."""
    if offset + limit > MOST_WORDS_POOL:
        page = _ranked_page(found, offset, limit)
        return page, (page[0][1] if page else found.count())
    pool = _ranked_page(found, 0, MOST_WORDS_POOL)
    if not pool:
        return [], 0
    total = pool[0][1]
    ordered = most_words(Release.objects.filter(pk__in=[pk for pk, _ in pool]), terms)
    ids = list(ordered.values_list("pk", flat=True)[offset : offset + limit])
    return [(pk, total) for pk in ids], total


def _ranked_page(found, offset, limit):
    """[(id, total)] of one page of ``found``, in its order, with how many there are in all.

    The ranks are computed in a subquery kept apart (OFFSET 0), so that counting and
    sorting handle narrow rows: left to itself, PostgreSQL computes the ranks after the
    count, carrying every match's search documents through it.
    """
    order = [str(field).lstrip("-") for field in found.query.order_by]
    # Every column an annotation, so that each has its own name in the SQL.
    names = {field: f"ranked_{field}" for field in order}
    narrow = found.annotate(**{names[field]: F(field) for field in order})
    try:
        inner, params = narrow.order_by().values_list(*names.values()).query.sql_with_params()
    except EmptyResultSet:
        return []
    outer_order = ", ".join(f'ranked."{names[field]}" DESC' for field in order)
    statement = (
        f'SELECT ranked."{names["pk"]}", COUNT(*) OVER () FROM ({inner} OFFSET 0) AS ranked '
        f"ORDER BY {outer_order} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, (*params, limit, offset))
        return cursor.fetchall()


def with_snippet(releases, terms, language, every_word=True):
    """Add ``snippet``: the best passage of the text the reader is shown, matches marked.

    The passage is the lead, body and quotations in the language the release is
    shown in on this site: the site's own, else the one it exists in.
    """
    if not terms:
        # Only excluded words ("-1"): nothing to mark, and no query to build a passage on.
        return releases.annotate(snippet=Value("", output_field=TextField()))
    other = "da" if language == "en" else "en"
    query = terms.every_word if every_word else terms.any_word

    def headline(code):
        config = CONFIGS[code]
        quotes = RawSQL(
            f"(SELECT string_agg(concat_ws(': ', q.speaker, q.text_{code}), ' ') "
            f"FROM {Quote._meta.db_table} q WHERE q.release_id = {Release._meta.db_table}.id)",
            [],
            output_field=TextField(),
        )
        without_tags = Func(
            f"body_{code}",
            Value("<[^>]*>"),
            Value(" "),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        )
        passage = Func(
            Func(
                Value(" "),
                f"lead_{code}",
                without_tags,
                quotes,
                function="concat_ws",
                output_field=TextField(),
            ),
            Value(PASSAGE_LIMIT),
            function="left",
            output_field=TextField(),
        )
        return SearchHeadline(
            passage,
            query(config),
            config=config,
            start_sel=MARK_START,
            stop_sel=MARK_STOP,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )

    own_language = ~Q(**{f"title_{language}": ""}) & Q(**{f"title_{language}__isnull": False})
    return releases.annotate(
        snippet=Case(When(own_language, then=headline(language)), default=headline(other))
    )


# What a passage that ends a sentence ends with; one that ends otherwise was cut there.
SENTENCE_ENDS = '.!?…:;"”»)'


def marked(snippet):
    """The snippet as HTML: escaped, with the matched words in <mark> elements, and "…" where
    the passage was cut: before one that starts mid-sentence, after one that stops there."""
    text = html.unescape(snippet or "").strip()
    plain = text.replace(MARK_START, "").replace(MARK_STOP, "")
    if plain and plain[0].islower():
        text = "…" + text
    if plain and plain[-1] not in SENTENCE_ENDS:
        text += "…"
    text = escape(text)
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))


# ---------------------------------------------------------------------------
# Typo suggestions
# ---------------------------------------------------------------------------

_NEAREST = """
SELECT typed.word, near.word, near.releases
FROM unnest(%s::text[]) AS typed(word)
CROSS JOIN LATERAL (
    SELECT w.word, w.releases FROM releases_searchword w
    WHERE NOT EXISTS (SELECT 1 FROM releases_searchword k WHERE k.word = typed.word)
    ORDER BY w.word <-> typed.word LIMIT 8
) AS near
"""


def suggest(terms):
    """The query with each unknown word replaced by the nearest word the releases use.

    Nearest means fewest letters changed (a swap of two neighbours counts as one),
    among the words most alike in their three-letter groups; ties go to the word more
    releases use. Returns "" when every word is known or nothing is near enough.
    """
    typed = {word.lower(): word for word in terms.words() if len(word) >= 3 and word.isalpha()}
    if not typed:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(_NEAREST, [list(typed)])
        candidates = cursor.fetchall()
    best = {}
    for word, candidate, releases in candidates:
        distance = edit_distance(word, candidate)
        if distance > max(1, len(word) // 4):
            continue
        key = (distance, -releases)
        if word not in best or key < best[word][0]:
            best[word] = (key, candidate)
    if not best:
        return ""
    suggestion = terms.text
    for word, (_key, candidate) in best.items():
        original = typed[word]
        replacement = _same_case(original, candidate)
        suggestion = re.sub(rf"\b{re.escape(original)}\b", replacement, suggestion)
    return suggestion


def _same_case(original, word):
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[0].isupper():
        return word[0].upper() + word[1:]
    return word


def edit_distance(a, b):
    """Letters inserted, deleted, changed or swapped with a neighbour to turn a into b."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, letter in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, 1):
            cost = letter != other
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and letter == b[j - 2] and a[i - 2] == other:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def refresh_words():
    """Rebuild the suggestion vocabulary from the releases the public may see now."""
    public = Release.objects.published().filter(search_words__isnull=False)
    sql, params = public.values("search_words").query.sql_with_params()
    table = SearchWord._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        source = cursor.mogrify(sql, params)
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(
            f"INSERT INTO {table} (word, releases) "
            "SELECT word, ndoc FROM ts_stat(%s) WHERE length(word) <= 200",
            [source],
        )


_WORDS_STAMP_KEY = "releases:search-words-stamp"


def refresh_words_if_changed():
    """Rebuild the vocabulary when what the public sees of releases has changed since."""
    stamp = repr(Release.objects.public_version())
    if cache.get(_WORDS_STAMP_KEY) == stamp:
        return False
    refresh_words()
    cache.set(_WORDS_STAMP_KEY, stamp, timeout=None)
    return True


def staff_matches(releases, text):
    """For the admin's release list: the readers' search, or a person quoted or to contact.

    Every word if any release has them all, else any of them; plus the releases
    that quote the person or name them as a press contact.
    """
    terms = Terms.parse(text)
    found = strict(releases, terms)
    if not found.exists():
        found = any_word(releases, terms)
    name = " ".join(text.split())
    people = Q(quotes__speaker__icontains=name) | Q(release_contacts__contact__name__icontains=name)
    return releases.filter(
        Q(pk__in=found.values("pk")) | Q(pk__in=releases.filter(people).values("pk"))
    )
