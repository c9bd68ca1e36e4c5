import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from core import images
from core.models import Licence
from missions.dates import Precision, partial_date
from missions.wording import figure_wording

DENMARK = "DK"


def precision_field(verbose_name):
    return models.CharField(
        verbose_name,
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text=_(
            "How exactly the date is known. For a month, enter its first day; "
            "for a year, 1 January."
        ),
    )


def end_not_before_start(prefix, start, end):
    """A named check constraint: the ``<end>_on`` date is empty or not before ``<start>_on``."""
    start_on, end_on = f"{start}_on", f"{end}_on"
    return models.CheckConstraint(
        condition=Q(**{f"{end_on}__isnull": True})
        | Q(**{f"{start_on}__isnull": True})
        | Q(**{f"{end_on}__gte": F(start_on)}),
        name=f"{prefix}_{end}_not_before_{start}",
    )


class CurrentUntilEnded:
    """For a model with an ``ended_on`` date: current until that day, or while it has none."""

    def is_current(self, today=None):
        today = today or timezone.localdate()
        return self.ended_on is None or self.ended_on > today


class Organisation(models.Model):
    name = models.CharField(
        _("name"), max_length=200, help_text=_("For example “North Atlantic Treaty Organization”.")
    )
    acronym = models.CharField(
        _("acronym"), max_length=30, blank=True, help_text=_("For example “NATO”.")
    )

    class Meta:
        ordering = ["acronym", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.acronym or self.name


class MissionKind(models.TextChoices):
    TRAINING = "training", _("Training and capacity building")
    PEACEKEEPING = "peacekeeping", _("Peacekeeping")
    SURVEILLANCE = "surveillance", _("Surveillance")
    MARITIME = "maritime", _("Maritime security")
    STABILISATION = "stabilisation", _("Stabilisation")
    COMBAT = "combat", _("Combat")


class MissionQuerySet(models.QuerySet):
    def for_fact_box(self):
        """What the fact box on a release page shows, in the query that fetches the missions."""
        return self.select_related("organisation")

    def for_listing(self):
        """With the organisation, and Denmark's contributions with their figures, prefetched."""
        contributions = Contribution.objects.filter(country=DENMARK).prefetch_related("figures")
        return self.select_related("organisation").prefetch_related(
            Prefetch("contributions", queryset=contributions, to_attr="danish_contributions")
        )

    def with_image_in_rights(self, at=None):
        """Missions with a lead image whose rights have not expired at ``at`` (default: now)."""
        at = at or timezone.now()
        return self.exclude(image="").filter(
            Q(image_rights_expire_at__isnull=True) | Q(image_rights_expire_at__gt=at)
        )

    def image_expired(self, at=None):
        """Missions with a lead image whose rights have run out by ``at`` (default: now)."""
        return self.exclude(image="").filter(image_rights_expire_at__lte=at or timezone.now())

    def image_expiring(self, within, at=None):
        """Missions whose lead image's rights run out after ``at`` and within ``within``."""
        at = at or timezone.now()
        return self.exclude(image="").filter(
            image_rights_expire_at__gt=at, image_rights_expire_at__lte=at + within
        )


class Mission(CurrentUntilEnded, models.Model):
    name = models.CharField(
        _("name"), max_length=200, help_text=_("For example “NATO Mission Iraq”.")
    )
    acronym = models.CharField(
        _("acronym"), max_length=30, blank=True, help_text=_("For example “NMI”.")
    )
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, help_text=_("The mission's part of web addresses.")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="missions",
        verbose_name=_("organisation"),
        help_text=_("The organisation conducting the mission."),
    )
    host_countries = CountryField(
        _("host countries"),
        multiple=True,
        blank=True,
        help_text=_("The countries where the mission takes place."),
    )
    kind = models.CharField(
        _("type of mission"),
        max_length=20,
        choices=MissionKind.choices,
        blank=True,
        help_text=_("Leave empty when no single type describes it."),
    )
    non_combat = models.BooleanField(
        _("non-combat"),
        default=False,
        help_text=_("Tick when the mandate rules out combat, as for NATO Mission Iraq."),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("The fact-box text: a few sentences on what the mission does."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_(
            "The mission's background and Denmark's part in it. Blank lines part paragraphs."
        ),
    )
    established_on = models.DateField(
        _("established"),
        null=True,
        blank=True,
        help_text=_("When the mission was established; leave empty if unknown."),
    )
    established_precision = precision_field(_("established: precision"))
    ended_on = models.DateField(
        _("ended"), null=True, blank=True, help_text=_("Leave empty while the mission goes on.")
    )
    ended_precision = precision_field(_("ended: precision"))
    image = models.ImageField(
        _("lead image"),
        upload_to="missions/%Y/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text=_(
            "A photograph shown at the top of the mission page: JPEG, PNG or WebP. "
            "Location and camera data are removed on upload."
        ),
    )
    image_width = models.PositiveIntegerField(editable=False, null=True)
    image_height = models.PositiveIntegerField(editable=False, null=True)
    image_renditions = models.JSONField(
        editable=False,
        default=list,
        help_text="[{'width': 480, 'format': 'webp', 'name': 'path/in/storage'}, ...]",
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    image_caption = models.CharField(
        _("image caption"), max_length=300, blank=True, help_text=_("Shown under the image.")
    )
    image_credit = models.CharField(
        _("image credit"),
        max_length=200,
        blank=True,
        help_text=_("The photographer or source, such as “Ministry of Defence”."),
    )
    image_licence = models.ForeignKey(
        Licence,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="missions",
        verbose_name=_("image licence"),
        help_text=_("The terms on which journalists may use the image."),
    )
    image_rights_expire_at = models.DateTimeField(
        _("image rights expire"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty if the rights do not run out. From this moment the image is "
            "no longer shown or offered; its caption stays."
        ),
    )
    image_size = models.PositiveBigIntegerField(_("image size in bytes"), editable=False, default=0)
    image_expiry_notice_sent_at = models.DateTimeField(editable=False, null=True)

    objects = MissionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            end_not_before_start("mission", "established", "ended"),
            # Every lead image has a licence (the admin offers the default).
            models.CheckConstraint(
                condition=Q(image="") | Q(image_licence__isnull=False),
                name="mission_image_has_licence",
            ),
        ]
        indexes = [
            # Read on every view of the media library (how many have run out) and by the sweep.
            models.Index(
                fields=["image_rights_expire_at"],
                condition=Q(image_rights_expire_at__isnull=False),
                name="mission_image_rights_expiry",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("missions:detail", kwargs={"slug": self.slug})

    def clean(self):
        validate_dates(self.established_on, self.ended_on)

    established = partial_date("established")

    ended = partial_date("ended")

    def make_image_renditions(self):
        """Make the renditions of a newly stored lead image and record them and its size."""
        self.image_renditions = images.make_renditions(self.image.name) if self.image else []
        self.image_size = self.image.size if self.image else 0
        self.save(update_fields=["image_renditions", "image_size"])

    def image_rights_expired(self, at=None):
        expire_at = self.image_rights_expire_at
        return expire_at is not None and expire_at <= (at or timezone.now())

    def current_danish_personnel(self, today=None):
        """Denmark's personnel on the mission now, as ``Headline`` figures.

        Uses ``danish_contributions`` when ``for_listing()`` prefetched them.
        """
        contributions = getattr(self, "danish_contributions", None)
        if contributions is None:
            contributions = self.contributions.filter(country=DENMARK).prefetch_related("figures")
        return headline_figures(
            c.current_figure(Figure.Measure.PERSONNEL) for c in contributions if c.is_current(today)
        )


class LegalBasisKind(models.TextChoices):
    UN_RESOLUTION = "un-resolution", _("UN Security Council resolution")
    ALLIANCE_DECISION = "alliance-decision", _("Alliance decision")
    HOST_NATION_REQUEST = "host-nation-request", _("Host-nation request")
    FOLKETING_DECISION = "folketing-decision", _("Folketing decision")
    OTHER = "other", _("Other")


class LegalBasis(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="legal_bases")
    kind = models.CharField(
        _("type"),
        max_length=30,
        choices=LegalBasisKind.choices,
        help_text=_("What sort of decision."),
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_("For example “Decision at the NATO summit in Brussels”."),
    )
    reference = models.CharField(
        _("number"),
        max_length=100,
        blank=True,
        help_text=_("Its number, such as “S/RES/2367 (2017)” or the Folketing's “B 12”."),
    )
    dated_on = models.DateField(_("date"), null=True, blank=True, help_text=_("Empty if unknown."))
    dated_precision = precision_field(_("date: precision"))
    url = models.URLField(
        _("link"), blank=True, help_text=_("Where readers can read the decision itself.")
    )

    class Meta:
        ordering = [F("dated_on").asc(nulls_last=True), "pk"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    dated = partial_date("dated")


class CommandPeriod(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="command_periods")
    lead_nation = CountryField(_("lead nation"), help_text=_("The nation in command."))
    commander_rank = models.CharField(
        _("commander's rank"),
        max_length=100,
        blank=True,
        help_text=_("For example “Lieutenant General”."),
    )
    commander_name = models.CharField(
        _("commander's name"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty if not known."),
    )
    started_on = models.DateField(_("from"), help_text=_("When the nation took command."))
    started_precision = precision_field(_("from: precision"))
    ended_on = models.DateField(
        _("to"),
        null=True,
        blank=True,
        help_text=_("When it handed over; empty while in command or if not known."),
    )
    ended_precision = precision_field(_("to: precision"))

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = _("command period")
        verbose_name_plural = _("command periods")
        constraints = [end_not_before_start("commandperiod", "started", "ended")]

    def __str__(self):
        return f"{self.lead_nation.name} {self.started}–{self.ended}"

    def clean(self):
        validate_dates(self.started_on, self.ended_on)

    started = partial_date("started")

    ended = partial_date("ended")

    @property
    def commander(self):
        return " ".join(part for part in (self.commander_rank, self.commander_name) if part)

    def overlaps(self, other):
        """Whether two periods share time; one may start the day the other ends."""
        return (other.ended_on is None or self.started_on < other.ended_on) and (
            self.ended_on is None or other.started_on < self.ended_on
        )


def overlapping_pairs(periods):
    """Each pair of command periods, in date order, that share time."""
    periods = sorted((p for p in periods if p.started_on), key=lambda p: p.started_on)
    return [(a, b) for i, a in enumerate(periods) for b in periods[i + 1 :] if a.overlaps(b)]


def validate_dates(start, end, field="ended_on"):
    if start and end and end < start:
        raise ValidationError({field: _("The end date cannot be before the start date.")})


class Participation(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        PARTNER = "partner", _("Partner")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="participations")
    country = CountryField(_("nation"), help_text=_("A nation taking part."))
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        default=Role.MEMBER,
        help_text=_("A member of the organisation, or a partner such as Sweden in NMI."),
    )

    class Meta:
        ordering = ["role", "country"]
        verbose_name = _("participating nation")
        verbose_name_plural = _("participating nations")
        constraints = [
            models.UniqueConstraint(fields=["mission", "country"], name="participation_once"),
        ]

    def __str__(self):
        return f"{self.country.name} ({self.get_role_display()})"


class ContributionKind(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel for the mission")
    FORCE_PROTECTION = "force-protection", _("Force protection")
    STAFF_OFFICERS = "staff-officers", _("Staff officers")
    MILITARY_ADVISERS = "military-advisers", _("Military advisers")
    CIVILIAN_ADVISERS = "civilian-advisers", _("Civilian advisers")
    SPECIAL_FORCES = "special-forces", _("Special operations forces")
    AIR_TRANSPORT = "air-transport", _("Air transport or helicopters")
    RADAR = "radar", _("Radar and airspace surveillance")
    HEADQUARTERS_STAFF = "headquarters-staff", _("Staff to a headquarters")
    TRAINERS = "trainers", _("Trainers")
    OTHER = "other", _("Other contribution")


class Contribution(CurrentUntilEnded, models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="contributions")
    country = CountryField(
        _("nation"), default=DENMARK, help_text=_("The contributing nation; Denmark unless not.")
    )
    kind = models.CharField(
        _("type"),
        max_length=30,
        choices=ContributionKind.choices,
        help_text=_("What the nation sends."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("A sentence or two, such as “Advisers to the Iraqi Ministry of Defence”."),
    )
    started_on = models.DateField(
        _("from"), null=True, blank=True, help_text=_("Empty if unknown.")
    )
    started_precision = precision_field(_("from: precision"))
    ended_on = models.DateField(
        _("to"), null=True, blank=True, help_text=_("Empty while the contribution goes on.")
    )
    ended_precision = precision_field(_("to: precision"))
    mandate = models.ForeignKey(
        LegalBasis,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("mandate"),
        help_text=_("The legal basis of this mission that the contribution rests on."),
    )

    class Meta:
        ordering = [F("started_on").asc(nulls_last=True), "kind", "pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [end_not_before_start("contribution", "started", "ended")]

    def __str__(self):
        return f"{self.country.name}: {self.get_kind_display()}"

    def clean(self):
        validate_dates(self.started_on, self.ended_on)
        if self.mandate_id and self.mission_id and self.mandate.mission_id != self.mission_id:
            raise ValidationError({"mandate": _("Choose a legal basis of the same mission.")})

    started = partial_date("started")

    ended = partial_date("ended")

    def adds_to_type(self):
        """Whether the description says more than the type (not "Force protection." again)."""

        def plain(text):
            return " ".join(str(text).casefold().rstrip(". ").split())

        return bool(self.description) and plain(self.description) != plain(self.get_kind_display())

    def current_figure(self, measure):
        """The latest actual figure, else the latest ceiling, planned or initial one."""
        figures = [f for f in self.figures.all() if f.measure == measure]
        for kind in FigureKind.by_authority():
            of_kind = [f for f in figures if f.kind == kind]
            if of_kind:
                return max(of_kind, key=lambda f: (f.dated_on or datetime.date.min, f.pk))
        return None


class FigureKind(models.TextChoices):
    INITIAL = "initial", _("Initial")
    PLANNED = "planned", _("Planned")
    CEILING = "ceiling", _("Ceiling")
    ACTUAL = "actual", _("Actual")

    @classmethod
    def by_authority(cls):
        """Which kind of figure says most about the present, first."""
        return [cls.ACTUAL, cls.CEILING, cls.PLANNED, cls.INITIAL]


class Qualifier(models.TextChoices):
    EXACT = "exact", pgettext_lazy("figure qualifier", "Exactly")
    ABOUT = "about", pgettext_lazy("figure qualifier", "About")
    UP_TO = "up-to", pgettext_lazy("figure qualifier", "Up to")
    UP_TO_ABOUT = "up-to-about", pgettext_lazy("figure qualifier", "Up to about")
    AT_LEAST = "at-least", pgettext_lazy("figure qualifier", "At least")


class Figure(models.Model):
    class Measure(models.TextChoices):
        PERSONNEL = "personnel", _("Personnel")
        AIRCRAFT = "aircraft", _("Aircraft")
        OTHER = "other", _("Other")

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="figures")
    measure = models.CharField(
        _("what is counted"),
        max_length=20,
        choices=Measure.choices,
        default=Measure.PERSONNEL,
        help_text=_("People, aircraft or something else."),
    )
    kind = models.CharField(
        _("type of figure"),
        max_length=20,
        choices=FigureKind.choices,
        default=FigureKind.ACTUAL,
        help_text=_(
            "Initial, planned, a ceiling (the most the mandate allows) or the actual number."
        ),
    )
    qualifier = models.CharField(
        _("qualifier"),
        max_length=20,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
        help_text=_("How exact the number is: “up to about 60” is up to about, 60."),
    )
    value = models.IntegerField(
        _("number"),
        validators=[MinValueValidator(0, message=_("A figure cannot be negative."))],
        help_text=_("A whole number, zero or more."),
    )
    dated_on = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_("The date the figure holds for; empty if unknown."),
    )
    dated_precision = precision_field(_("date: precision"))
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where the figure comes from, such as “Press release, 17 May 2022”."),
    )
    source_url = models.URLField(_("source link"), blank=True, help_text=_("Optional."))

    class Meta:
        ordering = [F("dated_on").asc(nulls_first=True), "pk"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="figure_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_measure_display()}: {self.wording()}"

    dated = partial_date("dated")

    def wording(self):
        """The figure in words in the active language, such as “up to about 60”."""
        return figure_wording(self.kind, self.qualifier, self.value)


def ceiling_conflicts(figures):
    """(ceiling, figure) pairs where a ceiling is below a figure it bounds.

    A ceiling bounds the other figures of the same measure from its date until
    the next ceiling; an undated ceiling bounds every figure of its measure.
    """
    conflicts = []
    for measure in {f.measure for f in figures}:
        same = [f for f in figures if f.measure == measure]
        ceilings = sorted(
            (f for f in same if f.kind == FigureKind.CEILING),
            key=lambda f: f.dated_on or datetime.date.min,
        )
        for figure in same:
            if figure.kind == FigureKind.CEILING or figure.value is None:
                continue
            bounding = [
                c
                for c in ceilings
                if c.dated_on is None or figure.dated_on is None or c.dated_on <= figure.dated_on
            ]
            if bounding and bounding[-1].value is not None and bounding[-1].value < figure.value:
                conflicts.append((bounding[-1], figure))
    return conflicts


class Headline:
    """A figure for a whole mission, made of figures of one kind from several contributions."""

    def __init__(self, kind, qualifier, value, dated):
        self.kind, self.qualifier, self.value, self.dated = kind, qualifier, value, dated

    def wording(self):
        return figure_wording(self.kind, self.qualifier, self.value)

    def is_recent(self, today=None):
        """Whether the figure may be called "now": undated, or from the last twelve months."""
        today = today or timezone.localdate()
        date = self.dated.date if self.dated else None
        return date is None or date > today - datetime.timedelta(days=365)


def headline_figures(figures):
    """Figures of the same kind summed, each kind apart: a ceiling is never added to an actual.

    Returns the headlines in order of authority (actual first). A sum keeps
    the loosest qualifier of its parts: exact and about give about, and any
    "up to" makes the sum "up to".
    """
    figures = [f for f in figures if f is not None]
    headlines = []
    for kind in FigureKind.by_authority():
        of_kind = [f for f in figures if f.kind == kind]
        if not of_kind:
            continue
        qualifiers = {f.qualifier for f in of_kind}
        if len(of_kind) == 1:
            qualifier = of_kind[0].qualifier
        elif qualifiers <= {Qualifier.EXACT}:
            qualifier = Qualifier.EXACT
        elif qualifiers <= {Qualifier.AT_LEAST, Qualifier.EXACT}:
            qualifier = Qualifier.AT_LEAST
        elif qualifiers & {Qualifier.UP_TO, Qualifier.UP_TO_ABOUT}:
            exact_limit = qualifiers <= {Qualifier.UP_TO, Qualifier.EXACT}
            qualifier = Qualifier.UP_TO if exact_limit else Qualifier.UP_TO_ABOUT
        else:
            qualifier = Qualifier.ABOUT
        latest = max(of_kind, key=lambda f: f.dated_on or datetime.date.min)
        headlines.append(Headline(kind, qualifier, sum(f.value for f in of_kind), latest.dated))
    return headlines
