"""The read-only releases API: a list with the list page's filters and paging, a record, a CSV.

Every answer starts from ``Release.objects.published()`` (through
``representation.public_releases``), as the pages do: a draft, an embargoed or a
scheduled release before its time is absent from lists and exports and answers 404.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from opendata import representation
from opendata.renderers import CSVRenderer
from opendata.serializers import ErrorSerializer, ReleaseDetailSerializer, ReleaseSummarySerializer
from releases.filters import Filters
from releases.models import ReleaseKind
from releases.views import NewestFirstPaginator


class Pages(PageNumberPagination):
    # A deep page's ids first, as the release list does (from the newest-first index).
    django_paginator_class = NewestFirstPaginator
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response_schema(self, schema):
        # REST framework describes "no page" with OpenAPI 3.0's ``nullable``, which
        # OpenAPI 3.1 (JSON Schema) does not know: its validators would refuse ``null``.
        described = super().get_paginated_response_schema(schema)
        for name in ("next", "previous"):
            link = described["properties"][name]
            link.pop("nullable", None)
            link["type"] = ["string", "null"]
        return described


FILTER_PARAMETERS = [
    OpenApiParameter(
        "q",
        str,
        description="Words the release must contain, in either language; best match first.",
    ),
    OpenApiParameter("kind", str, enum=ReleaseKind.values, description="The type of release."),
    OpenApiParameter("topic", str, description="A topic's slug, in English or Danish."),
    OpenApiParameter("year", int, description="The year of publication (Copenhagen time)."),
    OpenApiParameter("mission", str, description="A mission's slug."),
]
BAD_FILTER = OpenApiResponse(ErrorSerializer, description="A filter names nothing that exists.")


def filtered_releases(request):
    """Public releases narrowed by the list page's filters; 400 naming each unusable filter."""
    filters = Filters(request.query_params, every_choice=False)
    if not filters.valid:
        raise ValidationError(
            {
                "detail": _("A filter could not be used."),
                "errors": {name: list(errors) for name, errors in filters.form.errors.items()},
            }
        )
    releases = filters.apply(representation.public_releases())
    if filters.query:
        releases = releases.search(filters.query)
    return releases


class ReleaseList(GenericAPIView):
    pagination_class = Pages
    serializer_class = ReleaseSummarySerializer

    @extend_schema(
        operation_id="releases_list",
        summary="Public releases, newest first",
        parameters=FILTER_PARAMETERS,
        responses={200: ReleaseSummarySerializer(many=True), 400: BAD_FILTER},
    )
    def get(self, request):
        releases = representation.for_summaries(filtered_releases(request))
        page = self.paginate_queryset(releases)
        data = [representation.summary(release) for release in page]
        return self.get_paginated_response(ReleaseSummarySerializer(data, many=True).data)


class ReleaseDetail(GenericAPIView):
    serializer_class = ReleaseDetailSerializer

    @extend_schema(
        operation_id="releases_retrieve",
        summary="One public release, complete, in both languages",
        responses={200: ReleaseDetailSerializer, 404: ErrorSerializer},
    )
    def get(self, request, pk):
        releases = representation.for_details(representation.public_releases())
        release = releases.filter(pk=pk).first()
        if release is None:
            raise NotFound
        return Response(ReleaseDetailSerializer(representation.detail(release)).data)


class ReleaseCSV(GenericAPIView):
    """Every public release matching the filters, one row each (no paging)."""

    renderer_classes = [CSVRenderer, JSONRenderer]
    csv_columns = representation.CSV_COLUMNS

    @extend_schema(
        operation_id="releases_csv",
        summary="Public releases as CSV, one row each, with the list's filters",
        parameters=FILTER_PARAMETERS,
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="Columns: " + ", ".join(representation.CSV_COLUMNS) + ".",
            ),
            (400, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="One detail cell."),
        },
    )
    def get(self, request):
        releases = filtered_releases(request).prefetch_related("topics", "missions")
        response = Response([representation.csv_row(release) for release in releases])
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = 'attachment; filename="pressroom-releases.csv"'
        return response
