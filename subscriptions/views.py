"""The public subscription pages: sign up, confirm, send my link, manage, unsubscribe, erase."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import FormView, TemplateView

from missions.models import Mission
from subscriptions import limits, tasks, tokens
from subscriptions.forms import ChoicesForm, SendLinkForm, SubscribeForm
from subscriptions.models import SubscriberStatus


class ClientLimited:
    """A form view whose posts count against the client's limit of sign-ups (``limits``).

    Past the limit, the form comes back as it was sent, with the limit said above it (429):
    what the reader typed and chose is kept for them to send again later.
    """

    def post(self, request, *args, **kwargs):
        if not limits.client_allowed(request):
            context = self.get_context_data(form=self.get_form(), limited=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)


# Sign-up is exempt from CSRF so that the form can sit on cached public pages
# without a per-reader token. A forged sign-up can do no more than the form
# itself: it only sends a confirmation email (double opt-in), and the honeypot
# and the per-address and per-client limits still apply.
@method_decorator(csrf_exempt, name="dispatch")
class SubscribeView(ClientLimited, FormView):
    template_name = "subscriptions/subscribe.html"
    form_class = SubscribeForm

    def get_initial(self):
        initial = {"language": get_language()}
        mission = Mission.objects.filter(slug=self.request.GET.get("mission", "")).first()
        if mission:
            initial.update(follow=ChoicesForm.CHOSEN, missions=[mission])
        return initial

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        # Bots and over-eager repeats get the same answer as everyone else. For
        # everyone else the request does one thing, whether the address is new,
        # waiting, confirmed or gone: it queues the sign-up. Its answer and its
        # timing tell nothing about who subscribes.
        if not form.is_bot() and limits.address_allowed(email):
            tasks.sign_up.defer(
                email=email, choices=form.stored_choices(), at=timezone.now().isoformat()
            )
        return redirect("subscriptions:check-inbox")


class CheckInboxView(TemplateView):
    template_name = "subscriptions/check_inbox.html"


class SendLinkView(ClientLimited, FormView):
    template_name = "subscriptions/send_link.html"
    form_class = SendLinkForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        # Known or not, the address goes to the queue: the same work, the same answer.
        if limits.address_allowed(email):
            tasks.send_link.defer(email=email)
        return redirect("subscriptions:check-inbox")


def bad_link(request, reason):
    status = 410 if reason in ("expired", "used") else 400
    return render(request, "subscriptions/bad_link.html", {"reason": reason}, status=status)


# Mail scanners open links to look at them: a GET only ever shows a page with
# a button; nothing changes until that button sends a POST.


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    try:
        subscriber = tokens.read_token(token, tokens.CONFIRM)
    except tokens.BadToken as error:
        return bad_link(request, error.reason)
    if subscriber.status == SubscriberStatus.CONFIRMED and request.method == "POST":
        return redirect("subscriptions:confirmed", token=tokens.make_token(subscriber, "manage"))
    if subscriber.status != SubscriberStatus.PENDING:
        return bad_link(request, "used")
    if request.method == "POST":
        subscriber.confirm()
        return redirect("subscriptions:confirmed", token=tokens.make_token(subscriber, "manage"))
    return render(request, "subscriptions/confirm.html", {"subscriber": subscriber})


@require_GET
def confirmed(request, token):
    try:
        subscriber = tokens.read_token(token, tokens.MANAGE)
    except tokens.BadToken as error:
        return bad_link(request, error.reason)
    return render(
        request,
        "subscriptions/confirmed.html",
        {"subscriber": subscriber, "manage_url": reverse("subscriptions:manage", args=[token])},
    )


@require_http_methods(["GET", "POST"])
def manage(request, token):
    try:
        subscriber = tokens.read_token(token, tokens.MANAGE)
    except tokens.BadToken as error:
        return bad_link(request, error.reason)
    if subscriber.status != SubscriberStatus.CONFIRMED:
        return render(
            request, "subscriptions/left.html", {"subscriber": subscriber, "token": token}
        )
    if request.method == "POST":
        # With what the subscriber had, so that boxes left ticked are told from new ones.
        form = ChoicesForm(request.POST, initial=ChoicesForm.initial_for(subscriber))
        if form.is_valid():
            subscriber.set_choices(**form.choices())
            return redirect(reverse("subscriptions:manage", args=[token]) + "?saved=1")
    else:
        form = ChoicesForm(initial=ChoicesForm.initial_for(subscriber))
    return render(
        request,
        "subscriptions/manage.html",
        {
            "subscriber": subscriber,
            "form": form,
            "token": token,
            "saved": "saved" in request.GET,
        },
    )


# Mail programs send the RFC 8058 one-click POST without a session or a CSRF
# token; the signed token in the address is the proof.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        subscriber = tokens.read_token(token, tokens.MANAGE)
    except tokens.BadToken as error:
        return bad_link(request, error.reason)
    if request.method == "POST":
        subscriber.unsubscribe()
        return render(request, "subscriptions/unsubscribed.html", {"subscriber": subscriber})
    return render(
        request, "subscriptions/unsubscribe.html", {"subscriber": subscriber, "token": token}
    )


@require_POST
def erase(request, token):
    try:
        subscriber = tokens.read_token(token, tokens.MANAGE)
    except tokens.BadToken as error:
        return bad_link(request, error.reason)
    subscriber.delete()
    return render(request, "subscriptions/erased.html")
