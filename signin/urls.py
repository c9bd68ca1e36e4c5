"""Sign-in and second-factor pages under /admin/, named as django-two-factor-auth expects."""

from django.urls import include, path
from two_factor import views as two_factor

from signin import views

app_name = "two_factor"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("second-factor/", views.ProfileView.as_view(), name="profile"),
    path("second-factor/setup/", views.SetupView.as_view(), name="setup"),
    path("second-factor/setup/qr/", two_factor.QRGeneratorView.as_view(), name="qr"),
    path("second-factor/setup/done/", views.SetupCompleteView.as_view(), name="setup_complete"),
    path("second-factor/recovery-codes/", views.BackupTokensView.as_view(), name="backup_tokens"),
    path("second-factor/remove/", views.DisableView.as_view(), name="disable"),
    path(
        "second-factor/passkey/",
        include("two_factor.plugins.webauthn.urls", namespace="webauthn"),
    ),
]
