"""The fault suite's small site, built in the database that DATABASE_URL names (already migrated), with the
tests' own builders: the section pages, an upcoming event that takes registrations without a seat limit,
an article, and an editor who may upload documents and images.

Run as `python -m tests.faults.site_content` with the site's environment; prints one line of JSON saying
where the pages are and how to log in.
"""

import json
import secrets

import django


def build():
    from tests.builders import build_catalog_tree, make_article, make_user, upcoming_event

    tree = build_catalog_tree()
    event = upcoming_event(tree, capacity=None, title="プロボノワーカー募集説明会(障害試験)")
    article = make_article(tree.news)
    editor = make_user("faults-editor", "編集者")
    password = secrets.token_urlsafe(16)
    editor.set_password(password)
    editor.save()
    return {
        "home": tree.home.url,
        "event": event.url,
        "event_id": event.pk,
        "article": article.url,
        "editor": {"username": editor.username, "password": password},
    }


if __name__ == "__main__":
    django.setup()
    print(json.dumps(build()))
