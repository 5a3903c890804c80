"""A project's team as the public project page shows it: how many leaders and members have accepted.

Counts only, never names or contact data. Projects imported from the catalog have no invitations; their
page keeps the number an editor entered (ProjectPage.team_size).
"""

from dataclasses import dataclass

from projects.models import InvitationStatus, TeamRole


@dataclass(frozen=True)
class TeamMembers:
    leaders: int = 0
    members: int = 0

    @property
    def total(self):
        return self.leaders + self.members

    def __bool__(self):
        return self.total > 0


def team_members(project):
    """The accepted invitations of `project`, counted by role (one query)."""
    if project.pk is None:  # previewing a page not saved yet
        return TeamMembers()
    roles = list(
        project.team_invitations.filter(status=InvitationStatus.ACCEPTED).values_list("role", flat=True)
    )
    return TeamMembers(leaders=roles.count(TeamRole.LEADER), members=roles.count(TeamRole.MEMBER))
