"""When a SECRET_KEY is too weak for a site on the internet: one rule for production's refusal to start
(cms/settings/production.py) and the deployment check (cms.E002, cms/deploy_checks.py).

The key signs sessions, password reset links and every personal link the site emails (home/signed_links.py);
whoever can guess it can forge them. Django's own check (security.W009) only warns; this rule refuses.
"""

# The keys this repository's own settings use, which anyone can read.
DEV_KEY = "dev-only-insecure-key-do-not-use-in-production"
TEST_KEY = "test-only-key"
KNOWN_KEYS = frozenset({DEV_KEY, TEST_KEY})
# What Django's startproject writes, and the thresholds of Django's security.W009.
INSECURE_PREFIX = "django-insecure-"
MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5


def weakness(key):
    """Why `key` is unsafe, in Japanese for the operator, or None when it is fine."""
    if key in KNOWN_KEYS or key.startswith(INSECURE_PREFIX):
        return "このリポジトリや Django が公開している開発・テスト用の鍵です"
    if len(key) < MIN_LENGTH:
        return f"{MIN_LENGTH}文字未満です（{len(key)}文字）"
    if len(set(key)) < MIN_UNIQUE_CHARACTERS:
        return f"使われている文字が{MIN_UNIQUE_CHARACTERS}種類未満です"
    return None


HINT = (
    "ランダムな鍵を作って SECRET_KEY に設定してください: "
    "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
)
