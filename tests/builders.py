"""Small builders for the page tree, so each test states only the fields it cares about."""

import datetime
import io
from dataclasses import dataclass

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Site

from home.models import ArticleIndexPage, ArticlePage, HomePage, StandardPage
from projects.models import (
    Area,
    Category,
    EventIndexPage,
    EventPage,
    OrganizationIndexPage,
    OrganizationPage,
    Problem,
    Program,
    ProjectIndexPage,
    ProjectPage,
    SupportMenu,
)

TOKYO = datetime.timezone(datetime.timedelta(hours=9))

# What a visitor types into an event's registration form.
PERSON = {
    "name": "山田 花子",
    "name_kana": "やまだ はなこ",
    "email": "hanako@example.jp",
    "phone": "042-620-1234",
    "note": "",
    "agree_privacy": "on",
}


def home_page():
    return Site.objects.get(is_default_site=True).root_page.specific


def add_page(parent, page):
    """Add `page` under `parent` and publish it through a revision, as an editor would."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_organization(index, **fields):
    fields.setdefault("title", "八王子猫のおうち探しの会")
    fields.setdefault("slug", "hachioji-cat-homes")
    return add_page(index, OrganizationPage(**fields))


def make_project(index, organization, **fields):
    fields.setdefault("title", "経理業務の効率化")
    fields.setdefault("slug", "cat-homes-accounting")
    fields.setdefault("status", "in_progress")
    return add_page(index, ProjectPage(organization=organization, **fields))


def make_event(index, **fields):
    start = fields.pop("starts_at", datetime.datetime(2016, 9, 25, 14, 0, tzinfo=TOKYO))
    fields.setdefault("title", "プロボノワーカー募集説明会(第1回)")
    fields.setdefault("slug", "briefing-2016-09-25")
    fields.setdefault("ends_at", start + datetime.timedelta(hours=2))
    return add_page(index, EventPage(starts_at=start, **fields))


def upcoming_event(tree, **fields):
    """An event two weeks from now that takes registrations, with ten seats unless told."""
    fields.setdefault("starts_at", timezone.now() + datetime.timedelta(days=14))
    fields.setdefault("registration_enabled", True)
    fields.setdefault("capacity", 10)
    fields.setdefault("slug", "briefing-upcoming")
    return make_event(tree.events, **fields)


@dataclass
class CatalogTree:
    home: HomePage
    organizations: OrganizationIndexPage
    projects: ProjectIndexPage
    events: EventIndexPage
    news: ArticleIndexPage


def build_catalog_tree():
    home = home_page()
    return CatalogTree(
        home=home,
        organizations=add_page(home, OrganizationIndexPage(title="団体一覧", slug="organizations")),
        projects=add_page(home, ProjectIndexPage(title="プロジェクト一覧", slug="projects")),
        events=add_page(home, EventIndexPage(title="イベント", slug="events")),
        news=add_page(home, ArticleIndexPage(title="お知らせ", slug="news")),
    )


def make_terms():
    """One term of each facet, as the seed's first project uses them."""
    return {
        "problem": Problem.objects.create(name="組織の基盤を整えたい", slug="capacity-building"),
        "category": Category.objects.create(name="動物との共生", slug="animals"),
        "support": SupportMenu.objects.create(name="経理改善", slug="accounting"),
        "area": Area.objects.create(name="八王子市", slug="hachioji"),
        "program": Program.objects.create(name="プロボノ@八王子", slug="probono-hachioji"),
    }


def make_article(index, **fields):
    fields.setdefault("title", "成果報告会を開きました")
    fields.setdefault("slug", "report-meeting-2017")
    fields.setdefault("date", datetime.date(2017, 3, 25))
    return add_page(index, ArticlePage(**fields))


def make_standard_page(parent, **fields):
    fields.setdefault("title", "センターについて")
    fields.setdefault("slug", "about")
    return add_page(parent, StandardPage(**fields))


def make_image(title="写真", description="", size=(640, 400), name="photo.png"):
    """A Wagtail image of one colour, as an editor would upload a photo."""
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, "#0b6157").save(buffer, format="PNG")
    return get_image_model().objects.create(
        title=title, description=description, file=ImageFile(buffer, name=name)
    )


def make_user(username, *group_names):
    """A user (username@example.jp, password "x") in groups the migrations create."""
    user = get_user_model().objects.create_user(username, f"{username}@example.jp", "x")
    for name in group_names:
        user.groups.add(Group.objects.get(name=name))
    return user


DJANGO_FORCE_LOGIN = Client.force_login


def force_login_with_second_factor(client, user, backend=None):
    """Client.force_login as the suite uses it (tests/conftest.py installs it): signed in with both factors,
    as staff are after the second step, so admin pages open for users who must use two-factor
    authentication too. Tests of the sign-in itself post to the real forms instead."""
    DJANGO_FORCE_LOGIN(client, user, backend)
    # Not get_or_create: threads that sign one user in at once (tests/concurrency.py) may each create one,
    # and any of them will do.
    device = TOTPDevice.objects.filter(user=user, name="テスト端末").order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="テスト端末", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def login_with_second_factor(client, **credentials):
    """Client.login as the suite uses it (Wagtail's WagtailPageTestCase.login calls it): the password
    checked as a login form would, through django-axes, which needs the request; then both factors."""
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    user = authenticate(request, **credentials)
    if user is None:
        return False
    force_login_with_second_factor(client, user, user.backend)
    return True


def logged_in(user):
    """A test client logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client
