"""Judging the success criteria from axe's results, honestly.

A run is one page in one display condition: a dict with `url`, `condition`, `status` (the HTTP status, 0
when the page did not load), `lang` (the <html lang>), `media` (the number of <video>, <audio>, <iframe>,
<object> and <embed> elements) and `violations`, `passes`, `incomplete`: lists of axe rules as
{"id", "tags", "nodes"}.

For each criterion:
- 不適合 (自動試験) when an axe rule mapped to it found a violation on any page in any condition;
- 非適用 (自動試験) for the time-based media criteria when no sampled page has audio, video or an embed;
- 適合 (自動試験) only for a criterion automated testing judges fully (criteria.Criterion.automatic), when
  every page loaded, axe checked it with passes and nothing left undecided;
- otherwise 未確認, with the note saying what axe did check: a person must judge it.
"""

from dataclasses import dataclass

from .criteria import CRITERIA, applies_at, criterion_for_tag

PASS = "pass"
FAIL = "fail"
NOT_APPLICABLE = "na"
UNCHECKED = "unchecked"
RESULT_CHOICES = [
    (PASS, "適合"),
    (FAIL, "不適合"),
    (NOT_APPLICABLE, "非適用"),
    (UNCHECKED, "未確認"),
]

AUTOMATIC = "auto"
PERSON = "person"
PENDING = "pending"
METHOD_CHOICES = [
    (AUTOMATIC, "自動試験"),
    (PERSON, "目視確認"),
    (PENDING, "目視確認が必要"),
]

CONFORMS = "準拠"
PARTLY_CONFORMS = "一部準拠"


@dataclass
class Judgement:
    number: str
    result: str
    method: str
    note: str


def _rules_by_criterion(runs, kind):
    """{criterion number: {rule id: [urls]}} for one kind of axe result (violations, passes, incomplete)."""
    found = {}
    for run in runs:
        for rule in run.get(kind, []):
            for tag in rule.get("tags", []):
                criterion = criterion_for_tag(tag)
                if criterion is None:
                    continue
                urls = found.setdefault(criterion.number, {}).setdefault(rule["id"], [])
                if run["url"] not in urls:
                    urls.append(run["url"])
    return found


def judge(runs):
    """A Judgement for each of the 38 criteria, in the standard's order."""
    violations = _rules_by_criterion(runs, "violations")
    passes = _rules_by_criterion(runs, "passes")
    incomplete = _rules_by_criterion(runs, "incomplete")
    all_loaded = bool(runs) and all(run.get("status") == 200 for run in runs)
    has_media = any(run.get("media") for run in runs)
    all_japanese = bool(runs) and all((run.get("lang") or "").lower().split("-")[0] == "ja" for run in runs)
    judgements = []
    for criterion in CRITERIA:
        failed = violations.get(criterion.number, {})
        passed = passes.get(criterion.number, {})
        undecided = incomplete.get(criterion.number, {})
        if failed:
            detail = "、".join(f"{rule}({len(urls)}ページ)" for rule, urls in sorted(failed.items()))
            judgements.append(Judgement(criterion.number, FAIL, AUTOMATIC, f"axe が問題を検出: {detail}"))
        elif criterion.media and not has_media and all_loaded:
            note = "試験したページに音声・映像・埋め込みプレーヤーがありません。"
            judgements.append(Judgement(criterion.number, NOT_APPLICABLE, AUTOMATIC, note))
        elif criterion.automatic and all_loaded and passed and not undecided and all_japanese:
            rules = "・".join(sorted(passed))
            note = f"axe({rules})で問題なし。全ページの lang 属性が日本語(ja)であることを確認。"
            judgements.append(Judgement(criterion.number, PASS, AUTOMATIC, note))
        else:
            judgements.append(
                Judgement(criterion.number, UNCHECKED, PENDING, _pending_note(passed, undecided))
            )
    return judgements


def _pending_note(passed, undecided):
    parts = []
    if passed:
        parts.append(f"axe の{len(passed)}規則({'・'.join(sorted(passed))})では問題なし。")
    if undecided:
        parts.append(f"axe が判定できなかった箇所あり({'・'.join(sorted(undecided))})。")
    if not passed and not undecided:
        parts.append("自動試験では確認できません。")
    parts.append("人による確認が必要です。")
    return "".join(parts)


def merge(previous, judgements):
    """Keep what a person judged in an earlier draft (method 目視確認), unless axe now finds a violation."""
    kept = {row.number: row for row in previous if row.method == PERSON}
    merged = []
    for judgement in judgements:
        row = kept.get(judgement.number)
        if row is not None and judgement.result != FAIL:
            merged.append(Judgement(row.number, row.result, row.method, row.note))
        else:
            merged.append(judgement)
    return merged


def conformance(rows, target_level):
    """(対応度, counts) for the rows of a report: 準拠 only when every criterion within the target level is
    適合 or 非適用 (a missing row counts as 未確認); otherwise 一部準拠. counts: {result: number of applied
    criteria}."""
    counts = {value: 0 for value, _label in RESULT_CHOICES}
    results = {row.number: row.result for row in rows}
    for criterion in CRITERIA:
        if applies_at(criterion, target_level):
            result = results.get(criterion.number, UNCHECKED)
            counts[result if result in counts else UNCHECKED] += 1
    met = counts[PASS] + counts[NOT_APPLICABLE]
    label = CONFORMS if met == sum(counts.values()) else PARTLY_CONFORMS
    return label, counts
