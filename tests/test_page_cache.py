"""The page cache: anonymous visitors get stored pages, and never a stale one after content changes."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from home.models import CenterSettings
from home.page_cache import _key
from projects.models import Category
from tests import builders
from tests.builders import make_article, make_organization, make_project, upcoming_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

PERSON = {**builders.PERSON, "phone": ""}


@pytest.fixture
def page_cache_on():
    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=True, PAGE_CACHE_SECONDS=300):
        yield
    cache.clear()


# A CDN configured but never reached: what the pages tell it is the subject, not the purges.
UNREACHABLE_CDN = {
    "local": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": "http://127.0.0.1:9",
    }
}


def outcome(response):
    return response["X-Page-Cache"]


def seats(response):
    return int(re.search(r"残り(\d+)席", response.content.decode()).group(1))


def publish_title(page, title):
    page.title = title
    page.save_revision().publish()


def test_a_repeat_visit_is_served_from_the_cache_without_touching_the_database(client, tree):
    first = client.get("/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/")

    assert (outcome(first), outcome(second)) == ("miss", "hit")
    assert len(queries) == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # Headers the middlewares outside the cache add are added to stored pages too.
    assert "Content-Security-Policy" in second


def test_each_address_and_query_string_is_its_own_entry(client, tree):
    client.get("/projects/")

    assert outcome(client.get("/projects/?status=completed")) == "miss"
    assert outcome(client.get("/projects/")) == "hit"


def test_a_published_change_shows_at_once_on_the_page_and_on_every_listing(client, tree):
    article = make_article(tree.news, title="説明会のお知らせ")
    for address in (article.url, tree.news.url, "/"):
        client.get(address)
        assert outcome(client.get(address)) == "hit"

    publish_title(article, "説明会の日程を変更しました")

    for address in (article.url, tree.news.url, "/"):
        response = client.get(address)
        assert outcome(response) == "miss"
        assert "説明会の日程を変更しました" in response.content.decode()


def test_a_new_page_appears_and_an_unpublished_one_disappears(client, tree):
    client.get(tree.news.url)
    article = make_article(tree.news, title="新しい活動レポート")
    assert "新しい活動レポート" in client.get(tree.news.url).content.decode()
    client.get(article.url)

    article.unpublish()

    assert client.get(article.url).status_code == 404
    assert "新しい活動レポート" not in client.get(tree.news.url).content.decode()


def test_a_project_change_refreshes_the_catalog_and_its_organization_page(client, tree):
    organization = make_organization(tree.organizations)
    project = make_project(tree.projects, organization, title="会計ソフトの導入")
    for address in (tree.projects.url, organization.url):
        client.get(address)

    publish_title(project, "会計ソフトの導入と研修")

    for address in (tree.projects.url, organization.url):
        assert "会計ソフトの導入と研修" in client.get(address).content.decode()


def test_a_moved_page_leaves_its_old_address_for_the_new_one(client, tree):
    article = make_article(tree.news)
    old_url = article.url
    client.get(old_url)
    assert outcome(client.get(old_url)) == "hit"

    article.move(tree.events, pos="last-child")

    moved = client.get(old_url)
    assert moved.status_code == 301
    assert moved["Location"] == "/events/report-meeting-2017/"


def test_a_view_restriction_hides_a_page_that_was_cached(client, tree):
    article = make_article(tree.news)
    client.get(article.url)

    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(article.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_taxonomy_and_settings_changes_show_at_once(client, tree):
    category = Category.objects.create(name="子ども・子育て", slug="children")
    organization = make_organization(tree.organizations)
    make_project(tree.projects, organization, categories=[category])
    client.get(tree.projects.url)
    client.get("/")

    category.name = "子育て支援"
    category.save()
    center = CenterSettings.for_site(tree.home.get_site())
    center.phone = "042-000-9999"
    center.save()

    assert "子育て支援" in client.get(tree.projects.url).content.decode()
    assert "042-000-9999" in client.get("/").content.decode()


def test_seats_left_never_lag_behind_a_registration(client, tree):
    event = upcoming_event(tree, capacity=5)
    client.get(event.url)
    cached = client.get(event.url)
    assert (outcome(cached), seats(cached)) == ("hit", 5)

    registrant = Client()
    assert registrant.post(event.url, PERSON).status_code == 302

    after = client.get(event.url)
    assert (outcome(after), seats(after)) == ("miss", 4)


def test_a_cancellation_frees_the_seat_on_the_cached_page(client, tree):
    event = upcoming_event(tree, capacity=5)
    Client().post(event.url, PERSON)
    client.get(event.url)
    assert seats(client.get(event.url)) == 4

    registration = event.registrations.get()
    from projects.registration import services

    services.cancel(registration)

    assert seats(client.get(event.url)) == 5


def test_the_cached_registration_form_carries_each_visitors_own_csrf_token(tree):
    event = upcoming_event(tree)
    Client().get(event.url)  # another visitor primes the cache

    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(event.url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)

    assert outcome(response) == "hit"
    assert "placeholder" not in token
    assert response["Cache-Control"].startswith("max-age=0") or "private" in response["Cache-Control"]
    assert settings.CSRF_COOKIE_NAME in response.cookies
    registered = visitor.post(event.url, {**PERSON, "csrfmiddlewaretoken": token})
    assert registered.status_code == 302
    assert event.registrations.count() == 1


def test_a_post_without_a_valid_token_is_still_refused(tree):
    event = upcoming_event(tree)
    Client().get(event.url)
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(event.url)

    response = visitor.post(event.url, {**PERSON, "csrfmiddlewaretoken": "x" * 64})

    assert response.status_code == 403
    assert event.registrations.count() == 0


def test_a_logged_in_editor_never_gets_or_fills_the_anonymous_cache(client, tree):
    article = make_article(tree.news)
    User.objects.create_superuser("chief", "chief@example.jp", "pw")
    editor = Client()
    editor.login(username="chief", password="pw")

    assert "X-Page-Cache" not in editor.get(article.url)
    assert outcome(client.get(article.url)) == "miss"
    assert "X-Page-Cache" not in editor.get(article.url)


def test_personal_and_admin_addresses_are_not_cached(client, tree):
    event = upcoming_event(tree)
    status_url = Client().post(event.url, PERSON)["Location"]

    for address in (status_url, "/admin/login/", "/search/?q=会計"):
        client.get(address)
        assert client.get(address).get("X-Page-Cache") in (None, "skip")


def test_errors_odd_methods_and_long_query_strings_are_not_stored(client, tree):
    assert client.get("/no-such-page/").status_code == 404
    assert outcome(client.get("/no-such-page/")) == "skip"

    long_query = "/projects/?q=" + "あ" * 200
    client.get(long_query)
    assert "X-Page-Cache" not in client.get(long_query)

    client.get("/")
    head = client.head("/")
    assert (head.status_code, outcome(head)) == (200, "hit")


def test_hostile_query_strings_are_cached_as_text_not_as_markup(client, tree):
    hostile = "/projects/?category=<script>alert(1)</script>&sort=%FF"

    first = client.get(hostile)
    second = client.get(hostile)

    assert first.status_code == second.status_code == 200
    assert outcome(second) == "hit"
    assert "<script>alert(1)</script>" not in second.content.decode()


def test_an_entry_never_outlives_the_moment_registration_closes(client, tree):
    closes_at = timezone.now() + datetime.timedelta(seconds=2)
    event = upcoming_event(tree, registration_closes_at=closes_at)
    client.get(event.url)

    # The stored entry expires when registration closes, not PAGE_CACHE_SECONDS later.
    from home.page_cache import _key

    request = Client().get(event.url).wsgi_request
    entry = cache.get(_key(request))
    assert entry is not None
    assert entry.expires_at <= closes_at


def test_with_the_cache_off_nothing_is_stored(client, tree):
    with override_settings(PAGE_CACHE_ENABLED=False):
        client.get("/")
        assert "X-Page-Cache" not in client.get("/")


def test_a_form_page_that_is_not_stored_still_gets_the_visitors_own_token(tree):
    event = upcoming_event(tree)
    # A malformed CSRF cookie makes Django issue a new one: the page is then this visitor's, not stored.
    visitor = Client(enforce_csrf_checks=True)
    visitor.cookies[settings.CSRF_COOKIE_NAME] = "not-a-valid-token"

    response = visitor.get(event.url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)

    assert outcome(response) == "skip"
    assert "placeholder" not in response.content.decode()
    assert visitor.post(event.url, {**PERSON, "csrfmiddlewaretoken": token}).status_code == 302


def test_stored_pages_keep_the_frame_and_vary_headers_of_a_fresh_render(client, tree):
    first = client.get("/")
    second = client.get("/")

    assert outcome(second) == "hit"
    for response in (first, second):
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        assert "Cookie" in response["Vary"]


def test_with_a_cdn_in_front_pages_that_are_not_stored_are_private(tree):
    article = make_article(tree.news)
    User.objects.create_superuser("chief", "chief@example.jp", "pw")
    editor = Client()
    editor.login(username="chief", password="pw")

    with override_settings(WAGTAILFRONTENDCACHE=UNREACHABLE_CDN):
        assert "private" in editor.get(article.url)["Cache-Control"]
        assert "private" in Client().get("/no-such-page/")["Cache-Control"]
        assert "s-maxage" in Client().get(article.url)["Cache-Control"]


def test_a_registration_drops_only_the_pages_that_show_its_seats(client, tree):
    event = upcoming_event(tree, capacity=5)
    other = upcoming_event(tree, capacity=5, slug="another-briefing", title="別の説明会")
    for address in ("/", tree.projects.url, event.url, other.url):
        client.get(address)

    assert Client().post(event.url, PERSON).status_code == 302

    assert seats(client.get(event.url)) == 4
    for address in ("/", tree.projects.url, other.url):
        assert outcome(client.get(address)) == "hit", address


def test_workers_and_support_applications_drop_no_page(client, tree):
    from projects.models import SupportApplication, Worker

    client.get("/")

    Worker.objects.create(name="登録 太郎", email="taro@example.jp")
    SupportApplication.objects.create(
        organization_name="八王子の森の会",
        legal_form="voluntary",
        contact_name="森 花子",
        contact_email="mori@example.jp",
        description="会計を見直したい。",
    )

    assert outcome(client.get("/")) == "hit"


def form_token(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


def test_a_hit_never_gives_one_visitors_token_to_another(tree):
    event = upcoming_event(tree, capacity=5)
    Client().get(event.url)  # stored, with the placeholder
    alice, bob = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    pages = {visitor: visitor.get(event.url) for visitor in (alice, bob)}

    assert [outcome(page) for page in pages.values()] == ["hit", "hit"]
    alice_token, bob_token = form_token(pages[alice]), form_token(pages[bob])
    stored = cache.get(_key(pages[alice].wsgi_request)).content
    assert b"page-cache-csrf-token-placeholder" in stored
    assert alice_token.encode() not in stored and bob_token.encode() not in stored
    assert alice.cookies[settings.CSRF_COOKIE_NAME].value != bob.cookies[settings.CSRF_COOKIE_NAME].value
    # No validator lets a browser or a proxy reuse one visitor's form for another, or an old token.
    assert pages[alice]["ETag"] != pages[bob]["ETag"]
    assert all("Last-Modified" not in page and "private" in page["Cache-Control"] for page in pages.values())
    # Bob's token does not go with Alice's cookie; each visitor's own token goes with their own.
    assert alice.post(event.url, {**PERSON, "csrfmiddlewaretoken": bob_token}).status_code == 403
    assert alice.post(event.url, {**PERSON, "csrfmiddlewaretoken": alice_token}).status_code == 302
    other = {**PERSON, "email": "other@example.jp", "csrfmiddlewaretoken": bob_token}
    assert bob.post(event.url, other).status_code == 302
    assert event.registrations.count() == 2


def test_a_returning_visitor_keeps_their_csrf_cookie_on_a_hit(tree):
    event = upcoming_event(tree)
    Client().get(event.url)
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(event.url)
    cookie = visitor.cookies[settings.CSRF_COOKIE_NAME].value

    again = visitor.get(event.url)

    assert outcome(again) == "hit"
    # As on a rendered page, Django sends the cookie again to renew it, with the same secret.
    assert again.cookies[settings.CSRF_COOKIE_NAME].value == cookie
    assert visitor.post(event.url, {**PERSON, "csrfmiddlewaretoken": form_token(again)}).status_code == 302
    assert visitor.cookies[settings.CSRF_COOKIE_NAME].value == cookie


def test_a_hit_is_answered_before_the_session_and_the_database(client, tree):
    event = upcoming_event(tree)
    for address in ("/", event.url):
        client.get(address)
        with CaptureQueriesContext(connection) as queries:
            hit = client.get(address)

        assert outcome(hit) == "hit"
        assert len(queries) == 0, address
        # Neither the session nor the authentication middleware saw the request.
        assert not hasattr(hit.wsgi_request, "session") and not hasattr(hit.wsgi_request, "user")


def test_a_hit_has_the_headers_and_validators_of_the_rendered_page(client, tree):
    miss = client.get("/")
    hit = client.get("/")

    assert (outcome(miss), outcome(hit)) == ("miss", "hit")
    for name in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "Content-Language",
        "Content-Type",
        "ETag",
        "Last-Modified",
    ):
        assert hit[name] == miss[name], name
    assert hit["Content-Length"] == str(len(hit.content))
    assert hit["Cache-Control"] == miss["Cache-Control"] == "max-age=0"
    assert not hit.cookies
    assert client.get("/", headers={"If-None-Match": hit["ETag"]}).status_code == 304
    assert client.get("/", headers={"If-Modified-Since": hit["Last-Modified"]}).status_code == 304


def test_with_a_cdn_a_stored_page_may_be_kept_and_served_stale_while_it_is_fetched_again(client, tree):
    with override_settings(
        WAGTAILFRONTENDCACHE=UNREACHABLE_CDN, FRONTEND_CACHE_SECONDS=120, FRONTEND_CACHE_STALE_SECONDS=30
    ):
        responses = [client.get("/"), client.get("/")]

    for response in responses:
        control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert control == {"public", "max-age=0", "s-maxage=120", "stale-while-revalidate=30"}


def test_a_cdn_never_keeps_a_page_past_the_moment_registration_closes(client, tree):
    closes_at = timezone.now() + datetime.timedelta(seconds=40)
    upcoming_event(tree, registration_closes_at=closes_at)
    with override_settings(WAGTAILFRONTENDCACHE=UNREACHABLE_CDN, FRONTEND_CACHE_SECONDS=300):
        control = client.get(tree.events.url)["Cache-Control"]

    fresh = int(re.search(r"s-maxage=(\d+)", control).group(1))
    assert 0 < fresh <= 40
    assert "stale-while-revalidate" not in control


def test_with_the_default_settings_a_cdn_may_serve_a_page_stale_for_a_minute(client, tree):
    with override_settings(WAGTAILFRONTENDCACHE=UNREACHABLE_CDN):
        control = client.get("/")["Cache-Control"]

    assert {"public", "max-age=0"} <= {part.strip() for part in control.split(",")}
    fresh = int(re.search(r"s-maxage=(\d+)", control).group(1))
    # The entry's seconds left, counted when the answer went out (a second may have begun since).
    assert settings.FRONTEND_CACHE_SECONDS - 2 <= fresh <= settings.FRONTEND_CACHE_SECONDS
    assert f"stale-while-revalidate={settings.FRONTEND_CACHE_STALE_SECONDS}" in control


def test_a_cdn_never_serves_a_page_stale_past_the_moment_registration_closes(client, tree):
    closes_at = timezone.now() + datetime.timedelta(seconds=330)
    upcoming_event(tree, registration_closes_at=closes_at)
    with override_settings(
        WAGTAILFRONTENDCACHE=UNREACHABLE_CDN,
        PAGE_CACHE_SECONDS=300,
        FRONTEND_CACHE_SECONDS=300,
        FRONTEND_CACHE_STALE_SECONDS=60,
    ):
        control = client.get(tree.events.url)["Cache-Control"]

    fresh = int(re.search(r"s-maxage=(\d+)", control).group(1))
    stale = int(re.search(r"stale-while-revalidate=(\d+)", control).group(1))
    assert fresh <= 300
    assert 0 < stale < 60
    assert timezone.now() + datetime.timedelta(seconds=fresh + stale) <= closes_at


def test_a_page_this_process_holds_is_checked_against_the_shared_cache_on_every_hit(client, tree):
    from home import invalidation
    from projects.cache_keys import seats_key

    event = upcoming_event(tree, capacity=5)
    for address in ("/", event.url):
        client.get(address)
        assert outcome(client.get(address)) == "hit"

    # What another server does when it takes a registration or publishes: it replaces a token in the shared
    # cache, and nothing in this process.
    invalidation.replace_token(seats_key(event.pk))
    assert outcome(client.get(event.url)) == "miss"
    assert outcome(client.get("/")) == "hit"
    invalidation.replace_token(invalidation.CONTENT_VERSION_KEY)
    assert outcome(client.get("/")) == "miss"


def test_this_process_keeps_its_copies_within_a_byte_budget_and_serves_larger_pages_from_the_cache(
    client, tree
):
    first, second, third = "/", tree.projects.url, tree.events.url
    keys, sizes = {}, {}
    for address in (first, second, third):
        keys[address] = _key(client.get(address).wsgi_request)
        sizes[address] = len(cache.get(keys[address]).content)
    cache.clear()  # a new content version: what this process holds is stale, and each page a miss again

    # Room for the two pages stored last, not for all three.
    with override_settings(PAGE_CACHE_LOCAL_BYTES=sizes[second] + sizes[third] + sizes[first] // 2):
        for address in (first, second, third):
            assert outcome(client.get(address)) == "miss"
        # The shared cache evicts the pages: only what this process kept can still answer.
        for key in keys.values():
            cache.delete(key)
        assert outcome(client.get(third)) == "hit"
        assert outcome(client.get(second)) == "hit"
        assert outcome(client.get(first)) == "miss"

    cache.clear()
    # A page larger than the whole budget is not kept here, and is served from the shared cache.
    with override_settings(PAGE_CACHE_LOCAL_BYTES=sizes[first] // 2):
        miss = client.get(first)
        hit = client.get(first)
        assert (outcome(miss), outcome(hit)) == ("miss", "hit")
        assert hit.content == miss.content
        cache.delete(keys[first])
        assert outcome(client.get(first)) == "miss"
