"""Page-cache keys of what changes more often than pages are published. A page showing it declares the key
while rendering (`home.page_cache.depends_on`); projects/invalidation.py replaces it on each change."""


def seats_key(event_id):
    """An event's seats: its page shows them, and each registration changes them."""
    return f"pages:seats:{event_id}"


def team_key(project_id):
    """A project's team by role: its page shows it, and each answered invitation changes it."""
    return f"pages:team:{project_id}"
