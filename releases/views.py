from django.db.models import Q
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from releases.models import PressContact, Release


class ReleaseListView(ListView):
    paginate_by = 20

    def get_queryset(self):
        return Release.objects.published().for_listing()


class ReleaseDetailView(DetailView):
    def get_object(self, queryset=None):
        slug = self.kwargs["slug"]
        language = get_language()
        candidates = Release.objects.published().filter(Q(slug_en=slug) | Q(slug_da=slug))
        matches = sorted(candidates, key=lambda r: getattr(r, f"slug_{language}") != slug)
        if not matches:
            from django.http import Http404

            raise Http404
        return matches[0]


class ContactListView(ListView):
    template_name = "releases/contact_list.html"

    def get_queryset(self):
        return PressContact.objects.all()
