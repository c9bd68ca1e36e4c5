"""Template filters for mission pages."""

from django import template

register = template.Library()


@register.filter
def all_recent(headlines):
    """Whether every headline figure is recent enough to be called Denmark's figure "now"."""
    return all(headline.is_recent() for headline in headlines)
