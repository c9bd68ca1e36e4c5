from django.urls import path
from django.utils.translation import gettext_lazy as _

from subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("", views.SubscribeView.as_view(), name="subscribe"),
    path(_("check-your-inbox/"), views.CheckInboxView.as_view(), name="check-inbox"),
    path(_("send-my-link/"), views.SendLinkView.as_view(), name="send-link"),
    path(_("confirm/<str:token>/"), views.confirm, name="confirm"),
    path(_("confirmed/<str:token>/"), views.confirmed, name="confirmed"),
    path(_("manage/<str:token>/"), views.manage, name="manage"),
    path(_("unsubscribe/<str:token>/"), views.unsubscribe, name="unsubscribe"),
    path(_("erase/<str:token>/"), views.erase, name="erase"),
]
