"""The demo's アクセシビリティ方針: the policy settings and the policy page below the home page.

Reports are not demo content: `manage.py accessibility_report` tests the demo and saves one as a draft.
Fields are compared before saving, so a second run changes nothing.
"""

from home.models import AccessibilityPolicyPage, AccessibilitySettings

from .site import _save

SLUG = "accessibility"
TITLE = "アクセシビリティ方針"
INTRO = (
    "<p>八王子市市民活動支援センターは、年齢や障害の有無、使う機器にかかわらず、"
    "だれもがこのサイトの情報を得て、手続きができるよう、ウェブアクセシビリティの確保と向上に取り組みます。</p>"
)
POLICY = {
    "target_level": "AA",
    "conformance": "準拠",
    "scope": "八王子市市民活動支援センターのウェブサイト(このサイト)のすべてのページ",
    "deadline": "2027年3月31日",
    "test_period": "毎年度1回(1月から2月)",
    "exceptions": (
        "団体が作成して提供するPDFファイルなどの添付ファイル:内容は各団体が作成しているため、"
        "対象外とします。アクセシブルなファイルの作成をお願いしています。\n"
        "外部のサービスから埋め込む地図や動画:提供元のサービスが対応していない部分は対象外とします。"
    ),
    "contact": "八王子市市民活動支援センター 事務局\nお問い合わせはセンターの連絡先までお寄せください。",
}


def build_accessibility(site):
    """Fill the policy settings of `site` and put the policy page below its home page; True when anything
    had to change."""
    settings = AccessibilitySettings.for_site(site)
    changed = False
    for name, value in POLICY.items():
        if getattr(settings, name) != value:
            setattr(settings, name, value)
            changed = True
    if changed:
        settings.save()
    home = site.root_page.specific
    page = AccessibilityPolicyPage.objects.child_of(home).first() or AccessibilityPolicyPage(slug=SLUG)
    return _save(home, page, {"title": TITLE, "intro": INTRO}) or changed
