"""Releases as open data: a read-only JSON API, a CSV export and their OpenAPI description."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")
