"""The demo's オープンデータ page below the home page, at /opendata/. Its files are generated at the end of
load_demo (projects.opendata.generation); a second run changes nothing on the page."""

from projects.models import OpenDataPage

from .site import _save

SLUG = "opendata"
TITLE = "オープンデータ"
INTRO = (
    "<p>八王子市市民活動支援センターは、プロボノで支援したプロジェクトや団体、イベントの情報を、"
    "だれもが自由に使えるオープンデータとして公開しています。地域の活動を調べる、地図やアプリをつくる、"
    "授業や研究に使うなど、どうぞご活用ください。</p>"
)


def build_open_data_page(site):
    """Put the open data page below the home page of `site`; True when anything had to change."""
    home = site.root_page.specific
    page = OpenDataPage.objects.child_of(home).first() or OpenDataPage(slug=SLUG)
    return _save(home, page, {"title": TITLE, "intro": INTRO})
