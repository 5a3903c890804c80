"""What happens to a pro bono worker's record: registering (double opt-in), confirming, updating,
pausing and withdrawing. The views and emails call these; nothing here sends email or reads a request."""

import dataclasses

from django.db import IntegrityError, transaction
from django.utils import timezone

from projects.models import Worker, WorkerStatus

PERSONAL_FIELDS = {
    "name": "",
    "name_kana": "",
    "email": "",
    "phone": "",
    "introduction": "",
    "briefing": None,
    "newsletter": False,
    "years_of_experience": 0,
    "weekday_evenings": False,
    "weekends": False,
    "hours_per_month": 0,
}


@dataclasses.dataclass
class Registered:
    worker: Worker
    created: bool


def current_worker(email):
    """The worker registered with this address (in any case), unless they withdrew."""
    return (
        Worker.objects.filter(email__iexact=email)
        .exclude(status=WorkerStatus.WITHDRAWN)
        .order_by("pk")
        .first()
    )


def register(profile):
    """A new pending worker, or the one already registered with the address (nothing is changed then)."""
    existing = current_worker(profile["email"])
    if existing:
        return Registered(existing, created=False)
    try:
        with transaction.atomic():
            worker = _save(Worker(status=WorkerStatus.PENDING), profile)
    except IntegrityError:
        # The same address registered at the same moment: the database's unique constraint kept one.
        existing = current_worker(profile["email"])
        if existing is None:
            raise
        return Registered(existing, created=False)
    return Registered(worker, created=True)


def _save(worker, profile):
    many = {key: profile[key] for key in ("skills", "areas")}
    for key, value in profile.items():
        if key not in many:
            setattr(worker, key, value)
    worker.save()
    worker.skills.set(many["skills"])
    worker.areas.set(many["areas"])
    return worker


def confirm(worker):
    """Activate a pending worker; True only the first time (the link may be opened again)."""
    updated = Worker.objects.filter(pk=worker.pk, status=WorkerStatus.PENDING).update(
        status=WorkerStatus.ACTIVE, confirmed_at=timezone.now(), updated_at=timezone.now()
    )
    worker.refresh_from_db()
    return bool(updated)


def update(worker, profile):
    """Save the worker's changes to their profile; False when they withdrew meanwhile (another tab, the
    office's 退会処理): a withdrawn worker's row must never get personal data back."""
    fields = {key: value for key, value in profile.items() if key not in ("email", "skills", "areas")}
    with transaction.atomic():
        locked = Worker.objects.select_for_update().filter(pk=worker.pk).first()
        if locked is None or locked.status == WorkerStatus.WITHDRAWN:
            worker.refresh_from_db()
            return False
        for key, value in fields.items():
            setattr(locked, key, value)
        # Only the profile: the status and the address are not the form's to write.
        locked.save(update_fields=[*fields, "updated_at"])
        locked.skills.set(profile["skills"])
        locked.areas.set(profile["areas"])
    worker.refresh_from_db()
    return True


def set_paused(worker, paused):
    """Pause an active worker or resume a paused one; True when the status changed."""
    before, after = (
        (WorkerStatus.ACTIVE, WorkerStatus.PAUSED) if paused else (WorkerStatus.PAUSED, WorkerStatus.ACTIVE)
    )
    updated = Worker.objects.filter(pk=worker.pk, status=before).update(
        status=after, updated_at=timezone.now()
    )
    worker.refresh_from_db()
    return bool(updated)


def withdraw(worker):
    """Erase every personal field and mark the worker withdrawn; the row stays, so counts stay true.
    Returns the address the worker had (for the goodbye email), or "" when already withdrawn."""
    with transaction.atomic():
        locked = Worker.objects.select_for_update().filter(pk=worker.pk).first()
        if locked is None or locked.status == WorkerStatus.WITHDRAWN:
            return ""
        email = locked.email
        for key, value in PERSONAL_FIELDS.items():
            setattr(locked, key, value)
        locked.status = WorkerStatus.WITHDRAWN
        locked.withdrawn_at = timezone.now()
        locked.save()
        locked.skills.clear()
        locked.areas.clear()
        # Team invitations hold no personal data of their own; answers already given stay as history.
    worker.refresh_from_db()
    return email
