"""Matching: active workers ranked by how well they fit one project, each with the reasons in Japanese.

A worker scores for skills that serve the project's support menus (the mapping editors keep on each
skill; the strongest weight), for areas they share with the project, for availability and for experience.
Workers invited to the project are left out (unless the invitation was cancelled: they may be invited
again), and only active workers are ever ranked. The ranking takes a fixed number of queries however many
workers there are.
"""

from dataclasses import dataclass, field

from projects.models import InvitationStatus, ProjectStatus, Skill, TeamInvitation, Worker, WorkerStatus

# Projects that are still forming their team.
MATCHABLE_STATUSES = (ProjectStatus.PREPARING, ProjectStatus.RECRUITING)

SKILL_POINTS = 10  # per skill that serves one of the project's support menus
AREA_POINTS = 5  # once, for reaching at least one of the project's areas
EVENING_POINTS = 1
WEEKEND_POINTS = 1
HOURS_STEPS = ((20, 2), (10, 1))  # (hours per month at least, points)
EXPERIENCE_STEPS = ((10, 2), (3, 1))  # (years at least, points)


@dataclass
class Match:
    worker: Worker
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    matching_skills: list[Skill] = field(default_factory=list)


def is_matchable(project):
    return project.status in MATCHABLE_STATUSES


def _step_points(value, steps):
    return next((points for threshold, points in steps if value >= threshold), 0)


def _names(terms):
    return "、".join(term.name for term in terms)


def score_worker(worker, serving, project_areas):
    """The Match of one worker, whose skills and areas are prefetched.

    `serving` maps a skill's id to the project's support menus it serves; `project_areas` is a set of
    area ids.
    """
    match = Match(worker=worker)
    for skill in worker.skills.all():
        if skill.pk in serving:
            match.matching_skills.append(skill)
            match.score += SKILL_POINTS
            match.reasons.append(f"スキル「{skill.name}」が支援内容「{_names(serving[skill.pk])}」に役立つ")
    shared_areas = [area for area in worker.areas.all() if area.pk in project_areas]
    if shared_areas:
        match.score += AREA_POINTS
        match.reasons.append(f"活動できる地域に「{_names(shared_areas)}」を含む")
    times = []
    if worker.weekday_evenings:
        match.score += EVENING_POINTS
        times.append("平日夜")
    if worker.weekends:
        match.score += WEEKEND_POINTS
        times.append("土日")
    hours_points = _step_points(worker.hours_per_month, HOURS_STEPS)
    match.score += hours_points
    if times or hours_points:
        when = f"{'・'.join(times)}に活動できる" if times else ""
        hours = f"月{worker.hours_per_month}時間" if hours_points else ""
        match.reasons.append("、".join(part for part in (when, hours) if part))
    experience_points = _step_points(worker.years_of_experience, EXPERIENCE_STEPS)
    if experience_points:
        match.score += experience_points
        match.reasons.append(f"実務経験{worker.years_of_experience}年")
    return match


def rank_workers(project):
    """Active workers not yet invited to `project`, best fit first, as Match objects.

    Ties go to more matching skills, then more experience, then the earlier registration.
    """
    menus = {menu.pk: menu for menu in project.support_menus.all()}
    project_areas = set(project.areas.values_list("pk", flat=True))
    serving = {}
    for skill in Skill.objects.filter(support_menus__in=list(menus)).prefetch_related("support_menus"):
        serving[skill.pk] = [menu for menu in skill.support_menus.all() if menu.pk in menus]
    invited = (
        TeamInvitation.objects.filter(project=project)
        .exclude(status=InvitationStatus.CANCELLED)
        .values("worker_id")
    )
    workers = (
        Worker.objects.filter(status=WorkerStatus.ACTIVE)
        .exclude(pk__in=invited)
        .prefetch_related("skills", "areas")
        .order_by("created_at", "pk")
    )
    matches = [score_worker(worker, serving, project_areas) for worker in workers]
    matches.sort(
        key=lambda match: (-match.score, -len(match.matching_skills), -match.worker.years_of_experience)
    )
    return matches
