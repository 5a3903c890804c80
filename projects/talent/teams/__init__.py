"""Project teams: matching workers to a project, invitations by signed link and the team counts."""
