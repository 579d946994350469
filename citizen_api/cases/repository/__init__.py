"""Every query of the cases domain, by what it serves:

- ``cases``: one case — finding, filing, moving it, its materials, its timeline, the reminder — and the
  questions other domains ask through ``cases.service``;
- ``staff``: the staff's scoped list, filtered and counted by the warning a user sees;
- ``supervision``: 电子监察 — the warnings the job stores, the warning list, the statistics.
"""
