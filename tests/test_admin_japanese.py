"""Staff work in Japanese: every admin screen each demo role reaches, the admin's scripts, the workflow
emails, names in Japanese order and times in Tokyo.

The project's catalogue (locale/ja/) completes Wagtail's; the compiled .mo is committed, so a test checks
that it says what the .po says.
"""

import ast
import datetime
import gettext
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.fields import StreamField
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.page_tests import querydict_from_html

from home.dates import format_day_time
from home.models import ArticlePage, OutgoingEmail
from home.outbox import queue_message
from projects.demo.accounts import DEMO_ACCOUNTS, DEMO_EDITOR, DEMO_MODERATOR, DEMO_OFFICE
from projects.models import Worker
from tests.admin_crawl import crawl, english_words, record_values
from tests.builders import logged_in, make_user
from tests.html import parse_ok

LOCALE = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES"

# Latin-letter words a Japanese admin keeps. Each is a name or a token staff know in this spelling.
ALLOWED_WORDS = {
    # Product names: the CMS, and the authenticator apps the two-factor screens suggest
    "Wagtail",
    "Google",
    "Microsoft",
    "Authenticator",
    "IIJ",
    "SmartKey",
    "JavaScript",
    "Excel",
    # File formats and units, written so in Japanese software
    "CSV",
    "XLSX",
    "TSV",
    "PDF",
    "GIF",
    "JPG",
    "JPEG",
    "PNG",
    "WEBP",
    "KB",
    "MB",
    # Technical tokens staff know in this spelling
    "URL",
    "ID",
    "API",
    "QR",
    "Enter",
    "FAX",
    # Names in the demo content and settings: NPO法人, IT・データ, SNS, 広報＝PR, ECサイト, Webサイト＝HP,
    # and the social networks the center links to
    "NPO",
    "IT",
    "SNS",
    "PR",
    "EC",
    "Web",
    "HP",
    "WordPress",
    "Facebook",
    "Instagram",
    "LINE",
    "YouTube",
    "X",
    "Twitter",
    # The center's access text (JR八王子駅), and the accessibility policy's standard and its levels:
    # JIS X 8341-3 (WAIC's test format), 適合レベル A / AA
    "JR",
    "JIS",
    "WAIC",
    "A",
    "AA",
}


def read_po(path):
    """A .po file's translations as gettext keeps them: {msgid or (msgid, n): msgstr}, contexts joined
    with \\x04; the header (msgid "") is left out."""
    catalog, entry, field = {}, {}, None

    def finish():
        if entry.get("msgid"):
            key = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
            if "msgid_plural" in entry:
                for index, text in sorted(entry["plurals"].items()):
                    catalog[(key, index)] = text
            else:
                catalog[key] = entry["msgstr"]
        entry.clear()

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line or line.startswith("#"):
            if not line and entry:
                finish()
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if match:
            if match.group(1) == "msgid" and "msgid" in entry:
                finish()
            field = match.group(1) if match.group(2) is None else ("plurals", int(match.group(2)))
            value = ast.literal_eval(match.group(3))
        else:
            value = ast.literal_eval(line)
        if isinstance(field, tuple):
            plurals = entry.setdefault("plurals", {})
            plurals[field[1]] = plurals.get(field[1], "") + value if match is None else value
        else:
            entry[field] = entry.get(field, "") + value if match is None else value
    return catalog


def read_mo(path):
    with path.open("rb") as file:
        catalog = gettext.GNUTranslations(file)._catalog
    return {key: text for key, text in catalog.items() if key != ""}


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_catalogue_says_what_the_source_says(domain):
    source = read_po(LOCALE / f"{domain}.po")
    assert source, "the catalogue is empty"
    assert all(source.values()), "an entry has no translation"
    assert read_mo(LOCALE / f"{domain}.mo") == source, "run msgfmt again (docs/translation.md)"


def test_the_project_catalogue_is_read_before_wagtails():
    assert settings.LOCALE_PATHS[0] == Path(settings.BASE_DIR) / "locale"
    with translation.override("ja"):
        # Wagtail's own Japanese says 「…が調整のために提出されました」.
        assert translation.gettext("Page '%(page_title)s' has been submitted for moderation.") == (
            "ページ「%(page_title)s」の承認依頼を提出しました。"
        )


def english_catalogue_entries(app_config, domain="django"):
    path = Path(app_config.path) / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
    return read_po(path) if path.exists() else {}


def wagtail_apps():
    return [
        config
        for config in apps.get_app_configs()
        if config.name.split(".")[0] in ("wagtail", "wagtail_modeladmin")
    ]


def test_every_string_of_the_installed_wagtail_apps_has_a_japanese_translation():
    merged = translation.trans_real.translation("ja")._catalog
    untranslated = []
    for config in wagtail_apps():
        for key in english_catalogue_entries(config):
            looked_up = merged.get(key if isinstance(key, str) else (key[0], 0))
            if not looked_up:
                untranslated.append((config.name, key))
    assert untranslated == []


def test_every_string_of_the_admins_scripts_has_a_japanese_translation():
    response = Client().get(reverse("wagtailadmin_javascript_catalog"))
    catalog = json.loads(
        re.search(r"const newcatalog = (\{.*?\});\n", response.content.decode(), re.S).group(1)
    )
    english = english_catalogue_entries(apps.get_app_config("wagtailadmin"), "djangojs")
    missing = {key if isinstance(key, str) else key[0] for key in english} - set(catalog)
    assert missing == set()
    assert catalog["Insert a block"] == "ブロックを挿入"
    assert catalog["Collapse all"] == "すべて折りたたむ"


# The crawl


def signed_in(account):
    client = Client()
    client.force_login(get_user_model().objects.get(username=account.username))
    return client


@pytest.mark.demo
def test_every_admin_screen_each_demo_role_reaches_is_in_japanese(db):
    data = record_values()
    read, english, failures, fetched = set(), {}, {}, {}
    for account in DEMO_ACCOUNTS:
        result = crawl(signed_in(account), read_before=frozenset(read))
        read |= result.keys
        fetched[account.username] = result.fetched
        failures.update({(account.username, path): status for path, status in result.failures})
        for path, text in result.texts.items():
            if words := english_words(text, ALLOWED_WORDS, data):
                english[(account.username, path)] = sorted(words)
    assert failures == {}
    assert english == {}
    # The crawl reaches the admin's screens, each role its own, and ends: the editor of every page type the
    # demo has, and the new page form of every type that may still be added somewhere.
    pages = [page.specific_deferred for page in Page.objects.all()]
    assert {f"/admin/pages/{type(page).__name__}/edit/" for page in pages if page.depth > 1} <= read
    addable = {
        model._meta.label_lower.replace(".", "/")
        for parent in pages
        for model in parent.creatable_subpage_models()
        if model.can_create_at(parent)
    }
    assert {f"/admin/pages/add/{label}/" for label in addable} <= read
    assert fetched["admin"] > 150, fetched
    assert all(count > 20 for count in fetched.values()), fetched
    assert sum(fetched.values()) < 400, fetched


# Workflow emails, names and times


def submit_for_moderation(client, page):
    """The editor's edit form, posted back unchanged with 「承認を申請」. StreamFields are drawn by the
    admin's scripts, so their inputs are not in the HTML: they are posted empty, which a draft accepts."""
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
    for model_field in page.specific_class._meta.get_fields():
        if isinstance(model_field, StreamField) and f"{model_field.name}-count" not in data:
            data[f"{model_field.name}-count"] = "0"
    data["action-submit"] = "承認を申請"
    return client.post(edit_url, data)


@pytest.mark.demo
def test_the_workflow_email_to_the_moderator_is_japanese_and_addresses_them_by_full_name(db, settings):
    settings.EMAIL_BACKEND = "home.outbox.backend.QueueingEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    article = ArticlePage.objects.live().order_by("pk").first()
    last_before = OutgoingEmail.objects.order_by("pk").last()

    response = submit_for_moderation(signed_in(DEMO_EDITOR), article)

    assert response.status_code == 302
    assert WorkflowState.objects.active().filter(object_id=str(article.pk)).exists()
    # Queued in the outbox, then sent by its task (which runs at once in tests; a sent row keeps no body).
    queued = OutgoingEmail.objects.filter(pk__gt=last_before.pk if last_before else 0, purpose="django")
    assert len(mail.outbox) == queued.count() > 0
    assert {sent.subject for sent in mail.outbox} == {row.subject for row in queued}
    assert [DEMO_MODERATOR.email] in [sent.to for sent in mail.outbox]
    users = {user.email: user for user in get_user_model().objects.all()}
    data = record_values()
    for sent in mail.outbox:
        (recipient,) = sent.to
        assert sent.body.startswith(f"{users[recipient].last_name} {users[recipient].first_name} 様\n")
        assert article.title in sent.subject
        assert english_words(sent.subject, ALLOWED_WORDS, data) == set()
        assert english_words(sent.body, ALLOWED_WORDS, data) == set()
    requested = [sent.body for sent in mail.outbox if "ワークフロー「" in sent.body]
    assert requested
    assert all(f"{DEMO_EDITOR.last_name} {DEMO_EDITOR.first_name}さんから" in body for body in requested)


@pytest.mark.demo
def test_staff_names_read_family_name_first(db):
    editor = get_user_model().objects.get(username=DEMO_EDITOR.username)
    assert editor.get_full_name() == "編集 花子"
    assert editor.get_short_name() == "編集 花子"
    admin = signed_in(DEMO_ACCOUNTS[0])
    users = parse_ok(admin.get(reverse("wagtailusers_users:index")))
    names = [link.get_text(strip=True) for link in users.select("td.name a[href^='/admin/users/edit/']")]
    assert "編集 花子" in names, names
    sidebar = json.loads(
        parse_ok(signed_in(DEMO_EDITOR).get("/admin/")).find(id="wagtail-sidebar-props").string
    )
    (main_menu,) = [
        module for module in sidebar["modules"] if module["_type"] == "wagtail.sidebar.MainMenuModule"
    ]
    assert main_menu["_args"][2]["name"] == "編集 花子"


def test_a_user_with_one_name_or_none_is_shown_by_what_there_is(django_user_model):
    only_family = django_user_model(username="yamada", last_name="山田")
    nameless = django_user_model(username="anon")
    assert only_family.get_full_name() == "山田"
    assert nameless.get_full_name() == ""


@pytest.mark.demo
def test_a_records_details_show_tokyo_time_and_yes_or_no(db):
    worker = Worker.objects.filter(confirmed_at__isnull=True).order_by("pk").first()
    page = parse_ok(signed_in(DEMO_OFFICE).get(reverse("projects_worker:inspect", args=[worker.pk])))
    details = {
        term.get_text(strip=True): term.find_next_sibling("dd").get_text(strip=True)
        for term in page.select("dt")
    }
    assert details["登録日時"] == format_day_time(worker.created_at)
    assert details["メール確認日時"] == "—"
    assert details["メールマガジンを希望"] in ("はい", "いいえ")


def test_the_outbox_list_gives_tokyo_time(db):
    row = queue_message(EmailMessage("【参加確定】説明会", "本文", to=["a@example.jp"]), purpose="test")
    OutgoingEmail.objects.filter(pk=row.pk).update(
        created_at=datetime.datetime(2026, 12, 7, 3, 0, tzinfo=datetime.UTC)
    )
    listing = parse_ok(logged_in(make_user("jimu", "事務局")).get("/admin/outbox/"))
    tooltips = [
        button["data-w-tooltip-content-value"] for button in listing.select("button.w-human-readable-date")
    ]
    assert "2026年12月7日12:00" in tooltips
