"""How to reach the demo center: its phone, FAX, email, hours, closed days and directions in the center's
settings, an アクセス page and an お問い合わせ form with the fields a municipal center's form usually has.

The address comes from center.json (the seed's: 旭町12-1 ファルマ802ビル5階, by JR八王子駅's north exit);
the numbers and the address on example.jp are the demo's own, reaching nobody. Pages are found by their
slug below the home page and updated in place, so a second run changes nothing.
"""

from home.models import AccessPage, CenterSettings, ContactFormField, ContactPage

CONTACT_DETAILS = {
    "phone": "042-000-0802",
    "fax": "042-000-0803",
    "email": "center@example.jp",
    "opening_hours": "月曜〜土曜 9時〜21時\n日曜・祝日 9時〜17時",
    "closed_days": "毎月第2・第4月曜日(祝日のときは翌日)\n年末年始(12月29日〜1月3日)",
    "access": (
        "JR中央線・横浜線・八高線「八王子駅」の北口から、歩いて約3分です。"
        "北口を出て駅前の通りを東へ進んだ先の、ファルマ802ビルの5階です。\n"
        "京王線「京王八王子駅」からは、歩いて約5分です。\n"
        "センターに駐車場はありません。お車の方は、駅周辺の有料駐車場をご利用ください。"
        "自転車は、ビルの駐輪場に短時間とめられます。"
    ),
}

ACCESS_PAGE = {
    "slug": "access",
    "title": "アクセス",
    "lead": "八王子駅の北口から歩いて3分。打ち合わせや作業の場所としても、気軽にお立ち寄りください。",
    "body": (
        "<h2>建物の中で</h2>"
        "<p>1階のエレベーターで5階へお上がりください。エレベーターを降りて右手が受付です。"
        "車いすでもそのままお入りいただけます。</p>"
        "<h2>初めてご相談に来られる方へ</h2>"
        "<p>予約がなくてもご相談を受け付けていますが、担当者が外出していることがあります。"
        "確実にお話ししたい方は、事前にお電話か、お問い合わせフォームでご連絡ください。</p>"
    ),
}

CONTACT_PAGE = {
    "slug": "contact",
    "title": "お問い合わせ",
    "intro": (
        "<p>プロボノへの参加、支援の申込、イベント、センターの利用について、"
        "わからないことがあればお気軽にお尋ねください。</p>"
        "<p>お返事は、開館日の3日以内を目安に、担当者からメールまたはお電話でお送りします。</p>"
    ),
    "thanks": (
        "お問い合わせありがとうございました。\n"
        "開館日の3日以内を目安に、担当者からご連絡します。お急ぎの場合は、お電話でお問い合わせください。"
    ),
}

INQUIRY_KINDS = (
    "プロボノワーカーとしての参加について",
    "支援の申込について",
    "イベント・説明会について",
    "センターの利用について",
    "取材・その他",
)

CONTACT_FIELDS = (
    {"label": "お名前", "field_type": "singleline", "required": True, "help_text": "例:八王子 花子"},
    {
        "label": "ふりがな",
        "field_type": "singleline",
        "required": False,
        "help_text": "例:はちおうじ はなこ",
    },
    {
        "label": "メールアドレス",
        "field_type": "email",
        "required": True,
        "help_text": "お返事をお送りするアドレスです。",
    },
    {
        "label": "電話番号",
        "field_type": "phone",
        "required": False,
        "help_text": "お電話でのお返事をご希望の場合に入力してください。",
    },
    {
        "label": "お問い合わせの種類",
        "field_type": "dropdown",
        "required": True,
        "choices": "\n".join(INQUIRY_KINDS),
    },
    {
        "label": "お問い合わせ内容",
        "field_type": "multiline",
        "required": True,
        "help_text": "4000字以内でお書きください。",
    },
)
FIELD_KEYS = ("label", "field_type", "required", "choices", "help_text")


def build_contact(site):
    """The contact details in `site`'s center settings, its アクセス and お問い合わせ pages; True when
    anything had to change."""
    home = site.root_page.specific
    changed = _update_center(CenterSettings.for_site(site))
    changed = _save(home, AccessPage, ACCESS_PAGE) or changed
    return _save(home, ContactPage, CONTACT_PAGE, form_fields=CONTACT_FIELDS) or changed


def _update_center(center):
    changed = False
    for name, value in CONTACT_DETAILS.items():
        if getattr(center, name) != value:
            setattr(center, name, value)
            changed = True
    if changed:
        center.save()
    return changed


def _save(home, model, spec, form_fields=None):
    page = model.objects.child_of(home).filter(slug=spec["slug"]).first()
    is_new = page is None
    if is_new:
        page = model(slug=spec["slug"])
    changed = False
    for name, value in spec.items():
        if getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    if form_fields is not None and _fields_of(page) != [_field_spec(field) for field in form_fields]:
        page.form_fields = [
            ContactFormField(sort_order=position, **_field_spec(field))
            for position, field in enumerate(form_fields)
        ]
        changed = True
    if is_new:
        home.add_child(instance=page)
    if changed or not page.live:
        page.save_revision().publish()
        return True
    return False


def _field_spec(field):
    return {key: field.get(key, "" if key != "required" else True) for key in FIELD_KEYS}


def _fields_of(page):
    if page.pk is None:
        return []
    return [{key: getattr(field, key) for key in FIELD_KEYS} for field in page.form_fields.all()]
