"""Nothing private leaves through the open data API: not a view-restricted or never-published page, not the
unpublished draft of a live page, not an online event's meeting URL, not a registrant, worker (withdrawn or
not), applicant or team member; and a staff member's session changes nothing."""

import datetime
import json

import pytest
from wagtail.models import PageViewRestriction

from projects.models import (
    EventRelatedProject,
    InvitationStatus,
    ProjectPage,
    Registration,
    RegistrationStatus,
    SupportApplication,
    TeamInvitation,
    Worker,
    WorkerStatus,
)
from projects.talent.workers.services import withdraw
from tests.builders import logged_in, make_organization, make_project, make_user, upcoming_event

pytestmark = pytest.mark.django_db

SECRETS = {
    "private project": "非公開プロジェクトの題名",
    "private project slug": "members-only-project",
    "never published": "未公開の下書きプロジェクト",
    "never published slug": "never-published",
    "draft revision": "公開前の修正案の本文",
    "draft title": "修正中の新しい題名",
    "restricted event": "関係者限定の打ち合わせ",
    "restricted event slug": "staff-meeting",
    "meeting URL": "https://meet.example.jp/secret-room-42",
    "meeting room": "secret-room-42",
    "registrant": "申込 太郎",
    "registrant email": "taro.registrant@example.jp",
    "registrant phone": "042-999-1111",
    "worker": "稼働 花子",
    "worker email": "hanako.worker@example.jp",
    "withdrawn worker": "退会 次郎",
    "withdrawn email": "jiro.withdrawn@example.jp",
    "applicant": "申請 三郎",
    "applicant email": "saburo.applicant@example.jp",
    "private organization": "非公開の団体",
    "private organization slug": "hidden-organization",
}


@pytest.fixture
def private_things(catalog, tree):
    visible = catalog["facebook-page"]

    private = make_project(
        tree.projects,
        visible.organization,
        slug=SECRETS["private project slug"],
        title=SECRETS["private project"],
    )
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    never = ProjectPage(
        slug=SECRETS["never published slug"],
        title=SECRETS["never published"],
        organization=visible.organization,
        live=False,
    )
    tree.projects.add_child(instance=never)
    never.save_revision()

    # A live project with an unpublished draft revision: the draft's words stay in the revision.
    draft = ProjectPage.objects.get(pk=catalog["cat-accounting"].pk)
    draft.title = SECRETS["draft title"]
    draft.summary = SECRETS["draft revision"]
    draft.save_revision()

    hidden_organization = make_organization(
        tree.organizations, slug=SECRETS["private organization slug"], title=SECRETS["private organization"]
    )
    PageViewRestriction.objects.create(page=hidden_organization, restriction_type="login")
    make_project(tree.projects, hidden_organization, slug="run-by-hidden", title="非公開団体の支援")

    online = upcoming_event(tree, slug="online-briefing", online_url=SECRETS["meeting URL"])
    EventRelatedProject.objects.create(page=online, project=private, sort_order=0)
    restricted = upcoming_event(
        tree, slug=SECRETS["restricted event slug"], title=SECRETS["restricted event"]
    )
    PageViewRestriction.objects.create(page=restricted, restriction_type="password", password="x")

    Registration.objects.create(
        event=online,
        name=SECRETS["registrant"],
        email=SECRETS["registrant email"],
        phone=SECRETS["registrant phone"],
        status=RegistrationStatus.CONFIRMED,
    )
    worker = Worker.objects.create(
        name=SECRETS["worker"], email=SECRETS["worker email"], status=WorkerStatus.ACTIVE
    )
    leaving = Worker.objects.create(
        name=SECRETS["withdrawn worker"], email=SECRETS["withdrawn email"], status=WorkerStatus.ACTIVE
    )
    for member in (worker, leaving):
        TeamInvitation.objects.create(project=visible, worker=member, status=InvitationStatus.ACCEPTED)
    withdraw(leaving)
    SupportApplication.objects.create(
        organization_name="申請した団体",
        legal_form="npo",
        contact_name=SECRETS["applicant"],
        contact_email=SECRETS["applicant email"],
        description="相談",
    )
    return {"online": online}


def every_answer(client):
    """The raw bytes of every endpoint's answer: each list, each record it names, and the secret slugs."""
    answers = {}

    def get(url):
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        answers[url] = response.content
        return json.loads(response.content) if response.status_code == 200 else None

    for resource, extra in (
        ("projects", ["", "?q=修正案", "?q=非公開", "?sort=title"]),
        ("organizations", [""]),
        ("events", ["", "?when=past"]),
    ):
        for query in extra:
            listing = get(f"/api/{resource}/{query}{'&' if query else '?'}limit=100")
            for item in listing["items"]:
                get(f"/api/{resource}/{item['slug']}/")
    for slug in (SECRETS["private project slug"], SECRETS["never published slug"]):
        get(f"/api/projects/{slug}/")
    get(f"/api/organizations/{SECRETS['private organization slug']}/")
    get(f"/api/events/{SECRETS['restricted event slug']}/")
    for facet in get("/api/taxonomy/")["facets"]:
        get(f"/api/taxonomy/{facet['key']}/")
    for year in get("/api/annual-results/")["items"]:
        get(f"/api/annual-results/{year['fiscal_year']}/")
    get("/api/schema/")
    return answers


def assert_nothing_private(answers):
    for url, body in answers.items():
        for what, secret in SECRETS.items():
            assert secret.encode() not in body, f"{what} in {url}"


def test_no_endpoint_shows_anything_private(client, private_things):
    answers = every_answer(client)

    assert_nothing_private(answers)
    assert answers[f"/api/projects/{SECRETS['private project slug']}/"].startswith(b'{"detail"')
    assert answers[f"/api/events/{SECRETS['restricted event slug']}/"].startswith(b'{"detail"')
    online = json.loads(answers["/api/events/online-briefing/"])
    assert online["online"] is True and online["projects"] == []
    # The live project keeps its published words; the hidden organization's project names no organization.
    published = json.loads(answers["/api/projects/cat-accounting/"])
    assert published["title"] == "経理業務の効率化" and published["summary"] == ""
    assert json.loads(answers["/api/projects/run-by-hidden/"])["organization"] is None
    assert json.loads(answers["/api/projects/?q=修正案&limit=100"])["count"] == 0


def test_a_staff_session_widens_nothing(client, private_things):
    anonymous = every_answer(client)
    staff = logged_in(make_user("jimu", "事務局", "承認者"))
    superuser = make_user("boss")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()

    for signed_in in (staff, logged_in(superuser)):
        answers = every_answer(signed_in)
        assert_nothing_private(answers)
        assert answers == anonymous


def test_the_online_url_never_leaves_even_in_the_event_list_of_the_past(client, private_things):
    event = private_things["online"]
    event.starts_at = datetime.datetime(2016, 9, 25, 5, 0, tzinfo=datetime.UTC)
    event.ends_at = event.starts_at + datetime.timedelta(hours=2)
    event.save_revision().publish()

    past = client.get("/api/events/?when=past").content
    assert b"online-briefing" in past
    assert SECRETS["meeting room"].encode() not in past
