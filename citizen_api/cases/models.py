"""Cases (办件): an application for a service item, its materials and its timeline."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Application(Model):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, unique=True)  # department prefix + date + sequence
    applicant = fields.ForeignKeyField("models.User", related_name="applications", on_delete=fields.RESTRICT)
    item = fields.ForeignKeyField("models.ServiceItem", related_name="cases", on_delete=fields.RESTRICT)
    item_version = fields.ForeignKeyField(
        "models.ItemVersion", related_name="cases", on_delete=fields.RESTRICT
    )
    department_code = fields.CharField(max_length=32, db_index=True)
    status = fields.CharField(max_length=24, default="submitted", db_index=True)
    # copies taken at submission, so lists never join the catalog and later edits change nothing
    item_code = fields.CharField(max_length=64, default="")
    item_name = fields.CharField(max_length=200, default="")
    promised_days = fields.IntField(default=0)  # 0 = 即办件
    time_unit = fields.CharField(max_length=16, default="working_day")  # working_day | natural_day
    item_trips = fields.SmallIntField(default=1)  # 到办事现场次数 of the item (zero-trip statistics)
    channel = fields.CharField(max_length=16, default="online")  # online (mini-program) | window
    # 一件事一次办: the bundle application this case is a child of (citizen_api.bundles, above cases);
    # a plain id like ``published_version_id``, so the case models never depend on the bundles' models
    bundle_id = fields.IntField(null=True, db_index=True)
    # the applicant as identified at submission, encrypted (staff detail shows it, audited)
    applicant_name_enc = fields.TextField(null=True)
    applicant_id_number_enc = fields.TextField(null=True)
    applicant_phone_enc = fields.TextField(null=True)
    # phone tail for the public progress query, as a keyed hash (never the digits in clear)
    phone_tail_index = fields.CharField(max_length=64, default="")
    # the staff search (GET /staff/applications?q=), keyed hashes written at submission: the applicant's
    # normalised full name and the phone's last four digits (cases/search_keys.py)
    # (each selective on its own: a name is nearly unique, a tail is shared by one case in 10,000)
    applicant_name_index = fields.CharField(max_length=64, default="", db_index=True)
    phone_tail_search = fields.CharField(max_length=64, default="", db_index=True)
    tolerate_missing = fields.BooleanField(default=False)
    missing = fields.JSONField(default=list)  # material ids still owed (容缺 or requested)
    missing_due = fields.DateField(null=True)  # date by which 容缺 or 补正 materials must follow
    missing_due_uncertain = fields.BooleanField(default=False)  # counted over an unknown year
    # the citizen's reminder before missing_due (the supplement reminder job), sent once per due date
    missing_remind_on = fields.DateField(null=True, db_index=True)
    missing_reminded = fields.BooleanField(default=False)
    total_upload_bytes = fields.BigIntField(default=0)  # for the per-case size cap
    # the working-day clock
    accepted_on = fields.DateField(null=True)
    deadline = fields.DateField(null=True, db_index=True)
    yellow_on = fields.DateField(null=True)  # first day the case shows yellow (see deadlines.py)
    calendar_uncertain = fields.BooleanField(default=False)
    suspended_on = fields.DateField(null=True)
    suspended_days = fields.IntField(default=0)  # working days spent suspended (not counted)
    # stored by the supervision job; for accepted cases answers compute it from yellow_on/deadline
    warning = fields.CharField(max_length=8, default="none", db_index=True)  # none | yellow | red
    submitted_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    decided_at = fields.DatetimeField(null=True)  # approved or rejected (the case is done)
    decision_note = fields.TextField(default="")
    on_time = fields.BooleanField(null=True)  # decided on or before the deadline
    working_days_used = fields.IntField(null=True)  # acceptance → decision, suspensions excluded
    finished_at = fields.DatetimeField(null=True)  # delivered, withdrawn, not accepted
    # delivery of the result: the address is personal data (encrypted JSON); the rest is the outcome
    delivery_address_enc = fields.TextField(null=True)
    delivery_channel = fields.CharField(max_length=16, null=True)  # window | post | locker | point
    delivery_company = fields.CharField(max_length=32, null=True)
    delivery_waybill = fields.CharField(max_length=32, null=True, db_index=True)
    # 代办 / 帮办 (cases/agency.py): who filed it when not the applicant — an agent under an
    # authorisation (agents domain) or a clerk at the hall; the applicant stays the applicant
    # self | agent | staff_assisted | village_agent (a village point's 代办员)
    filed_by = fields.CharField(max_length=16, default="self")
    actor_id = fields.IntField(null=True, db_index=True)  # the agent's or the clerk's account
    actor_name_enc = fields.TextField(null=True)  # the agent's name as authorised (encrypted)
    authorisation_id = fields.IntField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "applications"
        indexes = (
            ("department_code", "status", "submitted_at"),
            # the staff list's counts, index-only: department + status, the warning dates, and the
            # frozen warning of suspended cases (bench/cases.py)
            ("department_code", "status", "deadline", "yellow_on", "warning"),
            ("status", "deadline", "yellow_on", "warning"),
            ("applicant_id", "submitted_at"),
            # the inbox (statuses, sort=deadline) and the search by a part of the number, index-only:
            # the ids of a page come from these, then its rows by id (bench/inbox.py)
            ("department_code", "status", "deadline", "id"),
            ("department_code", "number", "id"),
            # the open cases by warning per department (supervision.open_counts: the dashboard and the
            # stats), index-only over the running cases: 36 → 12 ms of 24,000 (bench/dashboard.py)
            ("status", "department_code", "deadline", "yellow_on", "warning", "calendar_uncertain", "id"),
        )


class ApplicationMaterial(Model):
    id = fields.IntField(primary_key=True)
    application = fields.ForeignKeyField(
        "models.Application", related_name="materials", on_delete=fields.CASCADE
    )
    material = fields.ForeignKeyField(
        "models.Material", related_name="submissions", on_delete=fields.RESTRICT
    )
    upload = fields.ForeignKeyField("models.Upload", related_name="submissions", on_delete=fields.RESTRICT)
    status = fields.CharField(max_length=16, default="submitted")  # submitted | accepted | rejected
    # 0 = handed in with the submission, n = the n-th supplement: a file of a later batch for the same
    # material replaces the earlier ones (the staff's materials table)
    batch = fields.SmallIntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "application_materials"


class TimelineEntry(Model):
    id = fields.BigIntField(primary_key=True)
    application = fields.ForeignKeyField(
        "models.Application", related_name="timeline", on_delete=fields.CASCADE
    )
    at = fields.DatetimeField(auto_now_add=True)
    actor_id = fields.IntField(null=True)
    actor_role = fields.CharField(max_length=16)
    kind = fields.CharField(max_length=16, default="status")  # status | materials | delivery | rating | note
    from_status = fields.CharField(max_length=24, null=True)
    to_status = fields.CharField(max_length=24)
    note = fields.TextField(default="")

    class Meta:
        table = "application_timeline"


class CaseNumberCounter(Model):
    """One row per department and day, the sequence comes from an atomic upsert, never max()+1."""

    id = fields.IntField(primary_key=True)
    prefix = fields.CharField(max_length=16)
    day = fields.CharField(max_length=8)  # YYYYMMDD (China time)
    value = fields.IntField(default=0)

    class Meta:
        table = "case_number_counters"
        unique_together = (("prefix", "day"),)


class SupervisionWarning(Model):
    """电子监察: a case turned yellow or red, or its deadline rests on an unknown calendar."""

    id = fields.BigIntField(primary_key=True)
    application = fields.ForeignKeyField(
        "models.Application", related_name="supervision_warnings", on_delete=fields.CASCADE
    )
    level = fields.CharField(max_length=24)  # yellow | red | calendar_uncertain
    department_code = fields.CharField(max_length=32, db_index=True)
    deadline = fields.DateField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "supervision_warnings"
        unique_together = (("application", "level"),)


class CaseStatsDay(Model):
    """电子监察's figures summed per (department, China-time day, key): the rollup the series and the
    dashboard read instead of scanning every case (``cases/repository/rollup.py``).

    Keys: ``submitted``/``online``/``zero_trip`` on the filing day; ``decided``/``on_time``/``days``/
    ``timed`` on the decision's day; ``warnings_yellow``/``warnings_red`` cards on their day; ``ys``/``ye``/
    ``rs``/``re`` a yellow or red interval starting or ending on that day. Written only by the
    compaction job, from :class:`CaseStatsDelta` rows."""

    id = fields.BigIntField(primary_key=True)
    department_code = fields.CharField(max_length=32)
    day = fields.DateField()
    key = fields.CharField(max_length=16)
    n = fields.BigIntField(default=0)

    class Meta:
        table = "case_stats_days"
        unique_together = (("department_code", "day", "key"),)


class CaseStatsDelta(Model):
    """A change of :class:`CaseStatsDay`'s figures, written by the database's triggers on
    ``applications`` and ``supervision_warnings`` in the writing transaction (insert only: concurrent
    cases never wait on each other's rollup row); folded into the days by the compaction job."""

    id = fields.BigIntField(primary_key=True)
    department_code = fields.CharField(max_length=32)
    day = fields.DateField()
    key = fields.CharField(max_length=16)
    n = fields.BigIntField()

    class Meta:
        table = "case_stats_deltas"


class CaseStep(Model):
    """电子监察 per step: one step of the item's procedure on an accepted case (受理, 审查, 决定, 送达 …).

    Copied from the item version's guide at acceptance. ``state``: pending (not reached), open (its
    holder works on it; one at a time), done, skipped (the decision came before it was reached). The
    limit counts working days from the working day after the step started, like the case deadline;
    a suspension moves it by the working days suspended (``suspended_days``)."""

    id = fields.BigIntField(primary_key=True)
    application = fields.ForeignKeyField("models.Application", related_name="steps", on_delete=fields.CASCADE)
    department_code = fields.CharField(max_length=32)  # the case's, for the lists and stats
    seq = fields.SmallIntField()
    code = fields.CharField(max_length=32)
    name = fields.CharField(max_length=32)
    post = fields.CharField(max_length=32)
    days = fields.SmallIntField()  # the step's limit in working days
    state = fields.CharField(max_length=8, default="pending")  # pending | open | done | skipped
    holder_id = fields.IntField(null=True, db_index=True)  # the staff account holding the step
    started_on = fields.DateField(null=True)
    limit_on = fields.DateField(null=True)
    yellow_on = fields.DateField(null=True)  # first day it shows yellow: one working day left
    limit_uncertain = fields.BooleanField(default=False)  # counted over a year without a schedule
    suspended_days = fields.IntField(default=0)  # working days of suspensions while it was open
    finished_on = fields.DateField(null=True, db_index=True)
    finished_by = fields.IntField(null=True)
    days_used = fields.IntField(null=True)  # working days from start to finish, suspensions excluded
    overdue = fields.BooleanField(default=False)  # finished after its limit
    note = fields.CharField(max_length=200, default="")
    # the highest level told (none | yellow | red): each level is told once per step
    warned = fields.CharField(max_length=8, default="none")
    # the warning frozen while the case is suspended (a running step's is computed from the dates)
    warning = fields.CharField(max_length=8, default="none")

    class Meta:
        table = "case_steps"
        unique_together = (("application", "seq"),)
        indexes = (("state", "department_code", "limit_on"), ("state", "holder_id"))
