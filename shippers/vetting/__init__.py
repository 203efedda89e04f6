"""Vetting: the background checks run on Celery when an application is submitted (and
again after screening-list updates, on an officer's request and periodically).

`registry` holds the checks that apps register at start-up (`checks` has shippers' own, one
module each; `outcome` what a check returns), `risk` turns their results into a risk level
and a recommendation, `services` runs and records them, `selectors` reads them for officers,
`receivers` answers screening's announcements, `events` names the audit actions.
"""
