from django.views.generic import DetailView, ListView

from missions.models import Mission


class MissionListView(ListView):
    def get_queryset(self):
        return Mission.objects.select_related("organisation")


class MissionDetailView(DetailView):
    queryset = Mission.objects.select_related("organisation")
