"""The talent registry's demo, from talent.json: the skills mapped to the support menus, the worker
registration and support application pages under プロボノとは, and a few fictional workers (active,
paused, pending) for matching to work with.

Skills are found by slug, pages by slug under their parent and workers by their address, so a second run
duplicates nothing. A demo worker who withdrew through their link is registered again on the next run.
"""

import json

from django.utils import timezone

from projects.models import (
    Area,
    EventPage,
    Skill,
    SupportApplicationPage,
    SupportMenu,
    Worker,
    WorkerRegistrationPage,
    WorkerStatus,
)
from projects.talent.workers.services import current_worker

from . import DEMO_DIR

TALENT_FILE = DEMO_DIR / "talent.json"

WORKER_FIELDS = (
    "name",
    "name_kana",
    "years_of_experience",
    "weekday_evenings",
    "weekends",
    "hours_per_month",
    "newsletter",
    "introduction",
)


def load_talent_data():
    return json.loads(TALENT_FILE.read_text(encoding="utf-8"))


def build_talent(home, save_page, data=None):
    """Skills, the two pages (through site.py's `save_page`, which publishes only on change) and the
    workers; returns how many pages were published again."""
    data = data or load_talent_data()
    build_skills(data["skills"])
    parent = home.get_children().filter(slug=data["parent"]).first()
    parent = parent.specific if parent else home
    published = 0
    for model, spec in (
        (WorkerRegistrationPage, data["worker_page"]),
        (SupportApplicationPage, data["application_page"]),
    ):
        page = model.objects.child_of(parent).filter(slug=spec["slug"]).first() or model(slug=spec["slug"])
        published += save_page(parent, page, {key: spec[key] for key in ("title", "intro", "thanks")})
    build_workers(data["workers"])
    return published


def build_skills(specs):
    menus = {menu.slug: menu for menu in SupportMenu.objects.all()}
    for position, spec in enumerate(specs, start=1):
        skill, _ = Skill.objects.update_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "sort_order": position}
        )
        skill.support_menus.set([menus[slug] for slug in spec["support_menus"] if slug in menus])


def build_workers(specs):
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    areas = {area.slug: area for area in Area.objects.all()}
    for spec in specs:
        worker = current_worker(spec["email"])
        if worker is None:
            worker = Worker(email=spec["email"], status=spec["status"])
        for field in WORKER_FIELDS:
            setattr(worker, field, spec[field])
        worker.status = spec["status"]
        if worker.status != WorkerStatus.PENDING and worker.confirmed_at is None:
            worker.confirmed_at = timezone.now()
        briefing = spec.get("briefing")
        worker.briefing = EventPage.objects.filter(slug=briefing).first() if briefing else None
        worker.save()
        worker.skills.set([skills[slug] for slug in spec["skills"]])
        worker.areas.set([areas[slug] for slug in spec["areas"] if slug in areas])
