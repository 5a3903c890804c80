"""Structured data for event pages: {% event_jsonld page %} writes a schema.org Event as JSON-LD."""

from django import template
from django.utils.text import Truncator
from wagtail.models import Site

from home.dates import in_tokyo
from home.origin import page_url, public_origin
from home.seo import center_reference, center_settings, jsonld_script
from home.text import rich_text_to_plain
from projects.models import RegistrationState

register = template.Library()

SCHEMA = "https://schema.org/"
DESCRIPTION_MAX_CHARS = 500

# What the registration's state tells search engines; no offer at all when the page takes no registrations.
OFFER_AVAILABILITY = {
    RegistrationState.OPEN: "InStock",
    RegistrationState.NOT_YET_OPEN: "PreOrder",
    RegistrationState.WAITLIST: "SoldOut",
    RegistrationState.FULL: "SoldOut",
}


def _iso(value):
    return in_tokyo(value).isoformat() if value else None


def _attendance_mode(has_place, has_online):
    if has_place and has_online:
        return SCHEMA + "MixedEventAttendanceMode"
    if has_online:
        return SCHEMA + "OnlineEventAttendanceMode"
    return SCHEMA + "OfflineEventAttendanceMode"


def _locations(page, url):
    """The event's place, and for an online event a VirtualLocation at the event's page: the meeting URL
    itself goes only to confirmed registrants (projects/registration/meeting.py)."""
    locations = []
    venue, address = page.venue.strip(), page.address.strip()
    if venue or address:
        place = {"@type": "Place", "name": venue or address}
        if address:
            place["address"] = {"@type": "PostalAddress", "streetAddress": address, "addressCountry": "JP"}
        locations.append(place)
    if page.online_url:
        locations.append({"@type": "VirtualLocation", "url": url})
    return locations


def event_data(page, confirmed=None, site=None, center=None):
    """The schema.org Event for an EventPage, as a dict ready for json.dumps; `confirmed` is the number
    of confirmed registrations when the caller has already counted them, `site` and `center` (its
    CenterSettings: the organizer) the event's site when the caller knows it."""
    if confirmed is None:
        confirmed = page.confirmed_count()
    url = page_url(page)
    locations = _locations(page, url)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.title,
        "startDate": _iso(page.starts_at),
        "endDate": _iso(page.ends_at),
        "eventStatus": SCHEMA + "EventScheduled",
        "eventAttendanceMode": _attendance_mode(
            any(location["@type"] == "Place" for location in locations), bool(page.online_url)
        ),
    }
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    description = " ".join(rich_text_to_plain(page.description).split())
    if description:
        data["description"] = Truncator(description).chars(DESCRIPTION_MAX_CHARS)
    data["url"] = url
    if site is None:
        site = page.get_site()
    if center is None:
        center = center_settings(site=site)
    data["organizer"] = center_reference(center, site, public_origin())
    if page.capacity is not None:
        data["maximumAttendeeCapacity"] = page.capacity
        data["remainingAttendeeCapacity"] = page.seats_left(confirmed)
    availability = OFFER_AVAILABILITY.get(page.registration_state(confirmed=confirmed))
    if availability:
        data["offers"] = {
            "@type": "Offer",
            "price": 0,
            "priceCurrency": "JPY",
            "availability": SCHEMA + availability,
            "url": url,
        }
        if page.registration_opens_at:
            data["offers"]["validFrom"] = _iso(page.registration_opens_at)
    return {key: value for key, value in data.items() if value is not None}


@register.simple_tag(takes_context=True)
def event_jsonld(context, page, confirmed=None):
    """<script type="application/ld+json"> with the schema.org Event for `page` (an EventPage);
    pass `confirmed` when the page's view has counted the confirmed registrations already."""
    if page is None:
        return ""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    center = center_settings(request) if site is not None else None
    return jsonld_script(event_data(getattr(page, "specific", page), confirmed, site, center))
