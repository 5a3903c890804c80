"""The demo's organizer: the center's own organization page is marked as the organizer (主催), so the
annual results do not count it among the organizations supported (projects/annual_results.py)."""

from projects.models import OrganizationPage

CENTER_SLUG = "hachioji-civic-center"


def mark_organizer():
    """Mark the center's page as the organizer, through a published revision as an editor would; returns
    whether anything changed (a second run changes nothing)."""
    page = OrganizationPage.objects.filter(slug=CENTER_SLUG).first()
    if page is None or page.is_organizer:
        return False
    page = page.get_latest_revision_as_object()
    page.is_organizer = True
    page.save_revision().publish()
    return True
