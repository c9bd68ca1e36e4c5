from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from subscriptions import views

app_name = "subscriptions"

# Pages reached through a subscriber's own link are personal: never stored by a cache.
urlpatterns = [
    path("", views.SubscribeView.as_view(), name="subscribe"),
    path(_("check-your-inbox/"), views.CheckInboxView.as_view(), name="check-inbox"),
    path(_("send-my-link/"), views.SendLinkView.as_view(), name="send-link"),
    path(_("confirm/<str:token>/"), never_cache(views.confirm), name="confirm"),
    path(_("confirmed/<str:token>/"), never_cache(views.confirmed), name="confirmed"),
    path(_("manage/<str:token>/"), never_cache(views.manage), name="manage"),
    path(_("unsubscribe/<str:token>/"), never_cache(views.unsubscribe), name="unsubscribe"),
    path(_("erase/<str:token>/"), never_cache(views.erase), name="erase"),
]
