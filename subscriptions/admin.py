from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from core.encoders import CsvWriter
from missions.models import Mission
from releases.models import Topic
from subscriptions.models import DeliveryReport, Frequency, Subscriber, SubscriberStatus


def subscriber_statistics():
    """Confirmed subscribers by language, frequency, topic and mission: counts only."""
    confirmed = Subscriber.objects.confirmed()
    by_language = dict(
        confirmed.order_by()
        .values_list("language")
        .annotate(n=Count("pk"))
        .values_list("language", "n")
    )
    by_frequency = dict(
        confirmed.order_by()
        .values_list("frequency")
        .annotate(n=Count("pk"))
        .values_list("frequency", "n")
    )
    following = Q(subscribers__status=SubscriberStatus.CONFIRMED)
    return {
        "total": confirmed.count(),
        "all_releases": confirmed.filter(all_releases=True).count(),
        "pending": Subscriber.objects.filter(status=SubscriberStatus.PENDING).count(),
        "by_language": [
            (str(name), by_language.get(code, 0))
            for code, name in Subscriber.language.field.choices
        ],
        "by_frequency": [(label, by_frequency.get(value, 0)) for value, label in Frequency.choices],
        "by_topic": Topic.objects.annotate(n=Count("subscribers", filter=following)),
        "by_mission": Mission.objects.annotate(n=Count("subscribers", filter=following)),
    }


@admin.register(DeliveryReport)
class DeliveryReportAdmin(admin.ModelAdmin):
    """Per release, how many emails are queued, sent and failed; no one's reading is tracked."""

    list_display = ["title", "published_at", "queued", "sent", "failed"]
    list_display_links = None
    search_fields = ["title_en", "title_da"]
    date_hierarchy = "published_at"
    change_list_template = "admin/subscriptions/deliveryreport/change_list.html"

    def get_queryset(self, request):
        return DeliveryReport.annotate(super().get_queryset(request).exclude(published_at=None))

    @admin.display(description=_("queued"), ordering="queued")
    def queued(self, obj):
        return obj.queued

    @admin.display(description=_("sent"), ordering="sent")
    def sent(self, obj):
        return obj.sent

    @admin.display(description=_("failed"), ordering="failed")
    def failed(self, obj):
        return obj.failed

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "statistics": subscriber_statistics()}
        return super().changelist_view(request, extra_context)


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Addresses are visible only with the permission to view subscribers."""

    list_display = ["email", "status", "language", "frequency", "created_at", "confirmed_at"]
    list_filter = ["status", "language", "frequency", "all_releases"]
    search_fields = ["email"]
    readonly_fields = [
        "email",
        "language",
        "all_releases",
        "kinds",
        "frequency",
        "status",
        "consent_version",
        "consented_at",
        "created_at",
        "confirmed_at",
        "left_at",
        "hard_bounces",
    ]
    exclude = ["topics", "missions"]
    actions = ["export_csv"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Export the selected addresses as CSV"), permissions=["export"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
        writer = CsvWriter(response)
        writer.writerow(["email", "language", "frequency", "status", "confirmed_at"])
        for subscriber in queryset.order_by("pk").iterator():
            writer.writerow(
                [
                    subscriber.email,
                    subscriber.language,
                    subscriber.frequency,
                    subscriber.status,
                    subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else "",
                ]
            )
        return response

    def has_export_permission(self, request):
        return request.user.has_perm("subscriptions.export_subscriber")
