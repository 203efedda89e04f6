"""Officer and supervisor administration of the known-shipper program.

The application queue and review page are the officers' workplace: every decision is a
service call made from `shippers.admin_views` (the admin never assigns a status), and
records written by services (organisations, requests for information, certificates) are
read-only here. Supervisors maintain the security questionnaire by versions: a version
that applications use is frozen; a revision is a new version, made current when ready.

What a user sees follows the roles' model permissions (`shippers.roles`) plus
`shippers.decide_application` for decisions; superusers are not given more than the
services allow them.
"""

from shippers.admin import applications, organisations, questionnaires

# Vetting runs and their alerts (shippers/vetting/admin.py).
from shippers.vetting import admin as vetting_admin

__all__ = ["applications", "organisations", "questionnaires", "vetting_admin"]
