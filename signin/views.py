"""Staff sign-in pages: django-two-factor-auth's views in the admin's look and language."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import normalize_name
from two_factor import views as two_factor
from two_factor.forms import AuthenticationTokenForm, BackupTokenForm
from two_factor.plugins.webauthn.forms import WebauthnAuthenticationTokenForm

from signin import policy, throttle
from signin.models import SignInFailure
from signin.redirects import safe_next

# The library's strings have no Danish for the language code "da"; the pressroom's own.
CODE_ERRORS = {
    "token_required": _("Enter the code."),
    "invalid_token": _("That code is not right. Check it and try again."),
    # The wait after n wrong codes in a row is 2 ** (n - 1) seconds (django-otp's throttle).
    "n_failed_attempts": ngettext_lazy(
        "After a wrong code, wait a moment before you try again.",
        "After %(failure_count)d wrong codes in a row, wait a little before you try again: "
        "the wait doubles with each wrong code.",
        "failure_count",
    ),
    "verification_not_allowed": _("Codes cannot be checked just now; try again in a moment."),
    "device_required": _("Choose how you sign in."),
}
METHOD_LABELS = {
    "generator": _("Authenticator app (a six-digit code that changes every 30 seconds)"),
    "webauthn": _("Passkey or security key"),
}


class AdminPageMixin:
    """The admin's header, title and language on the sign-in pages."""

    title = ""
    below_profile = True  # in the breadcrumbs, a page under "Second factor"

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        user = self.request.user
        return {
            **admin.site.each_context(self.request),
            "title": self.title,
            "below_profile": self.below_profile,
            "next": safe_next(self.request),
            "continue_url": safe_next(self.request) or reverse("admin:index"),
            "required": user.is_authenticated and policy.second_factor_required(user),
            **context,
        }


class RecoveryCodeForm(BackupTokenForm):
    """A recovery code as it was written down: its case and spaces do not matter (the codes
    django-otp makes are lower case, without spaces)."""

    def clean_otp_token(self):
        return "".join(self.cleaned_data["otp_token"].split()).lower()


class SignInView(AdminPageMixin, two_factor.LoginView):
    """Password, then the second factor; failures are counted and logged at each step."""

    title = _("Sign in")
    form_list = (
        (two_factor.LoginView.AUTH_STEP, AdminAuthenticationForm),
        (two_factor.LoginView.TOKEN_STEP, AuthenticationTokenForm),
        (two_factor.LoginView.BACKUP_STEP, RecoveryCodeForm),
    )

    def post(self, *args, **kwargs):
        user = self.get_user()
        if (
            self.steps.current != self.AUTH_STEP
            and user
            and not throttle.allowed(self.request, user.get_username())
        ):
            self.storage.reset()
            return locked_out(self.request, credentials={"username": user.get_username()})
        return super().post(*args, **kwargs)

    def get_form(self, step=None, **kwargs):
        form = super().get_form(step, **kwargs)
        if isinstance(form, AuthenticationTokenForm):
            form.otp_error_messages = {**form.otp_error_messages, **CODE_ERRORS}
            field = form.fields["otp_token"]
            if isinstance(form, BackupTokenForm):
                field.label = _("Recovery code")
            elif isinstance(form, WebauthnAuthenticationTokenForm):
                field.label = _("Passkey")
            else:
                field.label = _("Code")
        return form

    def render(self, form=None, **kwargs):
        step = self.steps.current
        failed = self.request.method == "POST" and form is not None and form.is_bound
        if failed and form.errors and step in (self.TOKEN_STEP, self.BACKUP_STEP):
            self._second_factor_failed(step)
        return super().render(form, **kwargs)

    def _second_factor_failed(self, step):
        user = self.get_user()
        user_login_failed.send(
            sender=type(self),
            credentials={"username": user.get_username()},
            request=self.request,
            step=SignInFailure.Step.RECOVERY_CODE
            if step == self.BACKUP_STEP
            else SignInFailure.Step.CODE,
        )
        if getattr(self.request, "axes_locked_out", False):
            # Locked out: the password must be given again once the wait is over.
            self.storage.reset()

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context["device_kind"] = _device_kind(context.get("device"))
        return context


def _device_kind(device):
    if device is None:
        return ""
    return "passkey" if device.__class__.__name__ == "WebauthnDevice" else "app"


class SetupView(AdminPageMixin, two_factor.SetupView):
    title = _("Set up your second factor")

    def get_form(self, step=None, **kwargs):
        form = super().get_form(step, **kwargs)
        if "method" in form.fields:
            form.fields["method"].label = _("How will you sign in?")
            form.fields["method"].choices = [
                (code, METHOD_LABELS.get(code, label))
                for code, label in form.fields["method"].choices
            ]
        if "token" in form.fields:
            form.fields["token"].label = (
                _("Passkey") if (step or self.steps.current) == "webauthn" else _("Code")
            )
            form.error_messages = {"invalid_token": CODE_ERRORS["invalid_token"]}
        return form

    def get_success_url(self):
        query = {"next": safe_next(self.request)} if safe_next(self.request) else {}
        return reverse("two_factor:setup_complete") + (f"?{urlencode(query)}" if query else "")


class SetupCompleteView(AdminPageMixin, two_factor.SetupCompleteView):
    title = _("Second factor ready")


class BackupTokensView(AdminPageMixin, two_factor.BackupTokensView):
    title = _("Recovery codes")


class ProfileView(AdminPageMixin, two_factor.ProfileView):
    title = _("Second factor")
    below_profile = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["device_kind"] = _device_kind(context["default_device"])
        return context


class DisableForm(forms.Form):
    understand = forms.BooleanField(label=_("Yes, remove my second factor and recovery codes"))


class DisableView(AdminPageMixin, two_factor.DisableView):
    title = _("Remove your second factor")
    form_class = DisableForm

    def get_success_url(self):
        # An editor goes straight on to set up a new one; the admin asks for it anyway.
        if policy.second_factor_required(self.request.user):
            return reverse("two_factor:setup")
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def form_valid(self, form):
        super().form_valid(form)
        return redirect(self.get_success_url())


def locked_out(request, original_response=None, credentials=None):
    """The answer to a sign-in refused for too many failures: why, and until when."""
    username = (credentials or {}).get("username") or request.POST.get("auth-username", "")
    form = AdminAuthenticationForm(request, prefix="auth", initial={"username": username})
    management = ManagementForm(
        prefix=normalize_name(SignInView.__name__),
        initial={"current_step": SignInView.AUTH_STEP},
    )
    context = {
        **admin.site.each_context(request),
        "title": _("Sign in"),
        "form": form,
        "management_form": management,
        "next": safe_next(request),
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "signin/locked_out.html", context, status=429)
