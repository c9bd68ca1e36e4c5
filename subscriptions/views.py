from django.views.generic import TemplateView


class SubscribeView(TemplateView):
    template_name = "subscriptions/subscribe.html"
