"""Vetting: the background checks run on Celery when an application is submitted (and
again after screening-list updates, on an officer's request and periodically).

`checks` holds one function per check, `risk` turns their results into a risk level and a
recommendation, `services` runs and records them, `selectors` reads them for officers.
"""
