"""The admin site's side of staff sign-in: no admin page without the second factor."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from signin import policy
from signin.redirects import safe_next


class SecondFactorAdminSite:
    """Mix into an AdminSite: its pages need the second factor where the policy asks for it."""

    def has_permission(self, request):
        return super().has_permission(request) and policy.second_factor_done(request.user)

    def login(self, request, extra_context=None):
        """Sign-in happens on the two-factor pages; this only sends people there."""
        next_url = safe_next(request) or reverse("admin:index", current_app=self.name)
        user = request.user
        if (
            user.is_authenticated
            and policy.second_factor_required(user)
            and not policy.has_second_factor(user)
        ):
            return redirect(f"{reverse('two_factor:setup')}?{urlencode({'next': next_url})}")
        return redirect_to_login(next_url, reverse("two_factor:login"))
