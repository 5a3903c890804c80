"""`manage.py accessibility_report`: tests the site against JIS X 8341-3:2016 with axe in Chromium and
saves the result as a draft 試験結果 page below the アクセシビリティ方針 page (docs/accessibility.md).

The command lives in the catalog app because it samples the catalog's own views (the catalog with
filters, site search's results) besides a representative page of every page type.
"""

import random
import time
from contextlib import contextmanager
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings
from django.urls import reverse
from wagtail.models import Site

from home.accessibility import browser, judging
from home.accessibility.report import NoPolicyPage, policy_page, save_report
from home.accessibility.sampling import REPRESENTATIVE, Sample, random_pages, representative_pages
from home.visibility import visible
from projects.models import FACETS, ProjectIndexPage, ProjectPage

MAX_RANDOM = 200
MAX_URL_LENGTH = 300
LOOPBACK = "127.0.0.1"


def _shown(value):
    """An argument quoted in an error message, cut short."""
    text = str(value)
    return text if len(text) <= 60 else text[:60] + "…"


def _count(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CommandError(
            f"--random には0から{MAX_RANDOM}までの整数を指定してください(「{_shown(value)}」)。"
        ) from None
    if not 0 <= number <= MAX_RANDOM:
        raise CommandError(
            f"--random には0から{MAX_RANDOM}までの整数を指定してください(「{_shown(value)}」)。"
        )
    return number


def _seed(value):
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CommandError(f"--seed には0以上の整数を指定してください(「{_shown(value)}」)。") from None
    if not 0 <= number < 2**32:
        raise CommandError(f"--seed には0以上、2の32乗未満の整数を指定してください(「{_shown(value)}」)。")
    return number


def _base_url(value):
    if value is None:
        return None
    try:
        parts = urlsplit(value) if len(value) <= MAX_URL_LENGTH else None
        if parts is not None:
            _port = parts.port  # reading it checks it: ValueError for "http://host:x" or beyond 65535
    except ValueError:
        parts = None
    valid = (
        parts is not None
        and parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not (parts.query or parts.fragment or parts.username)
    )
    if not valid:
        raise CommandError(
            "--base-url には http://127.0.0.1:8000 のような http または https のアドレスを指定してください"
            f"(「{_shown(value)}」)。"
        )
    return f"{parts.scheme}://{parts.netloc}"


class Command(BaseCommand):
    help = (
        "ページの種類ごとの代表ページと無作為に選んだページを axe で試験し"
        "(標準の表示と、背景色3種を文字サイズ大・ふりがな付きで)、"
        "アクセシビリティ方針のページの下に試験結果を下書きとして保存します。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--random", default="10", metavar="N", help="代表ページに加えて無作為に選ぶページの数(既定10)。"
        )
        parser.add_argument(
            "--seed", default=None, metavar="S", help="無作為抽出の乱数の種。同じ種なら同じページを選びます。"
        )
        parser.add_argument(
            "--base-url",
            default=None,
            metavar="URL",
            help="起動中のサイトのアドレス(例: http://127.0.0.1:8000)。省略すると試験用のサーバーを起動します。"
            "どちらの場合もページの抽出と保存はこのコマンドのデータベースで行います。",
        )
        parser.add_argument("--chromium", default=browser.CHROMIUM, metavar="PATH", help="Chromium の場所。")
        parser.add_argument(
            "--list-pages", action="store_true", help="試験するページを表示するだけで、試験も保存もしません。"
        )

    def handle(self, *args, **options):
        count = _count(options["random"])
        seed = _seed(options["seed"])
        base_url = _base_url(options["base_url"])
        if seed is None:
            seed = random.SystemRandom().randrange(2**32)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("既定のサイトがありません。manage.py migrate を実行してください。")
        try:
            policy_page(site)
        except NoPolicyPage:
            raise CommandError(
                "アクセシビリティ方針のページがありません。管理画面でホームの下に「アクセシビリティ方針」の"
                "ページを作成してから実行してください(試験結果はその下に保存します)。"
            ) from None

        samples = sample_pages(site, count, seed)
        if options["list_pages"]:
            self.write_samples(samples, seed)
            return
        problem = browser.browser_problem(options["chromium"])
        if problem:
            raise CommandError(f"試験を実行できません: {problem}")

        started = time.monotonic()
        paths = [sample.url for sample in samples]
        self.stdout.write(
            f"{len(samples)}ページを{len(browser.CONDITIONS)}通りの表示条件で試験します(乱数の種 {seed})。"
        )
        try:
            with serving(base_url) as url:
                runs, version = browser.run_axe(url, paths, chromium=options["chromium"])
        except browser.BrowserUnavailable as error:
            raise CommandError(f"試験を実行できません: {error}") from None
        report, created, judgements = save_report(
            site,
            samples,
            runs,
            conditions=browser.CONDITIONS,
            seed=seed,
            tool=f"axe-core {axe_version()}(WCAG 2.0 の A・AA の規則)",
            browser=f"Chromium {version}",
        )
        self.write_summary(report, created, samples, runs, judgements, time.monotonic() - started)

    def write_samples(self, samples, seed):
        self.stdout.write(f"試験するページ({len(samples)}ページ、乱数の種 {seed}):")
        for sample in samples:
            self.stdout.write(f"  [{sample.sampling}] {sample.type}: {sample.title} {sample.url}")

    def write_summary(self, report, created, samples, runs, judgements, seconds):
        counts = {value: 0 for value, _label in judging.RESULT_CHOICES}
        for judgement in judgements:
            counts[judgement.result] += 1
        labels = dict(judging.RESULT_CHOICES)
        representative = sum(sample.sampling == REPRESENTATIVE for sample in samples)
        edit_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
            "wagtailadmin_pages:edit", args=[report.pk]
        )
        action = "作成しました" if created else "更新しました"
        self.stdout.write(self.style.SUCCESS(f"試験結果の下書きを{action}: {report.title}({seconds:.0f}秒)"))
        self.stdout.write(
            f"  試験したページ: {len(samples)}ページ"
            f"(代表{representative}・無作為{len(samples) - representative})"
            f"× 表示条件{len(browser.CONDITIONS)}通り"
        )
        self.stdout.write(
            f"  達成基準{len(judgements)}件: "
            + "・".join(f"{labels[key]}{value}件" for key, value in counts.items())
        )
        failed = [run for run in runs if run.get("status") != 200]
        if failed:
            self.stdout.write(
                self.style.WARNING(f"  読み込めなかったページ: {len(failed)}件(試験結果の表を見てください)")
            )
        found = sorted({rule["id"] for run in runs for rule in run.get("violations", [])})
        if found:
            self.stdout.write(self.style.WARNING(f"  axe が検出した問題: {'、'.join(found)}"))
        else:
            self.stdout.write("  axe が検出した問題: なし")
        if counts[judging.UNCHECKED]:
            self.stdout.write(
                f"  未確認の達成基準{counts[judging.UNCHECKED]}件は、"
                "人が確認して結果を記入してから公開してください。"
            )
        self.stdout.write(f"  管理画面: {edit_url}")


def sample_pages(site, count, seed):
    """Representative pages of every page type, the catalog with filters and search results, then
    `count` random public pages."""
    samples = representative_pages(site)
    samples.extend(_catalog_views())
    unique = []
    for sample in samples:
        if all(sample.url != kept.url for kept in unique):
            unique.append(sample)
    return unique + random_pages(site, count, seed, exclude={sample.url for sample in unique})


def _catalog_views():
    samples = []
    catalog = visible(ProjectIndexPage.objects.order_by("path")).first()
    projects = ProjectPage.objects.visible()
    if catalog is not None and catalog.url:
        for facet in FACETS:
            term = _first_used_term(facet, projects)
            if term is not None:
                url = f"{catalog.url}?{facet.key}={quote(term.slug)}"
                samples.append(
                    Sample(
                        url, f"{catalog.title}({term.name}で絞り込み)", "カタログの絞り込み", REPRESENTATIVE
                    )
                )
                break
    project = projects.order_by("path").first()
    query = project.title if project is not None else "センター"
    samples.append(
        Sample(
            f"{reverse('search')}?q={quote(query)}",
            f"「{query}」の検索結果",
            "サイト内検索の結果",
            REPRESENTATIVE,
        )
    )
    samples.append(Sample(reverse("sitemap_page"), "サイトマップ", "サイトマップ", REPRESENTATIVE))
    return samples


def _first_used_term(facet, projects):
    for term in facet.model.objects.order_by("pk"):
        if projects.filter(**{facet.field_name: term}).exists():
            return term
    return None


def axe_version():
    try:
        from axe_playwright_python.base import AXE_SCRIPT
    except ImportError:
        return ""
    marker = "axe v"
    start = AXE_SCRIPT.find(marker)
    return AXE_SCRIPT[start + len(marker) :].split()[0] if start >= 0 else ""


@contextmanager
def serving(base_url):
    """The base URL to test: `base_url` as given, or a server of this site started on the loopback
    address for the duration (Django's LiveServerThread, static files through WhiteNoise)."""
    if base_url:
        yield base_url
        return
    # Only this process's browser reaches the loopback server, over plain HTTP: production's redirect to
    # HTTPS would send every page away.
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, LOOPBACK], SECURE_SSL_REDIRECT=False):
        server = LiveServerThread(LOOPBACK, static_handler=lambda handler: handler)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise CommandError(f"試験用のサーバーを起動できませんでした: {server.error}")
        try:
            yield f"http://{LOOPBACK}:{server.port}"
        finally:
            server.terminate()
