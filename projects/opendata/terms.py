"""The terms every file and the page state: licence and attribution (OpenDataSettings), and what the
events dataset reads from the settings and the center's details."""

from dataclasses import dataclass

from django.conf import settings
from wagtail.models import Site

from home.models import CenterSettings, OpenDataSettings

from .datasets import Context


@dataclass(frozen=True)
class Terms:
    license_name: str
    license_url: str
    attribution: str
    publisher: str
    generated_at: str = ""


def _default_site():
    return Site.objects.filter(is_default_site=True).first()


def current_terms(site=None):
    site = site or _default_site()
    if site is None:
        open_data, center = OpenDataSettings(), CenterSettings()
    else:
        open_data, center = OpenDataSettings.for_site(site), CenterSettings.for_site(site)
    publisher = center.name or (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME
    return Terms(
        license_name=open_data.license_name,
        license_url=open_data.license_url,
        attribution=open_data.attribution or f"出典:{publisher} オープンデータ",
        publisher=publisher,
    ), Context(
        municipality_code=open_data.municipality_code,
        municipality_name=open_data.municipality_name,
        center_name=publisher,
        center_phone=center.phone,
    )
