"""代办授权: a citizen (the principal) lets another person (the agent) file cases and book the hall
for them, for some items or all, until a date. The agent is named by real name, ID number and
phone, all encrypted at rest; the agent's account is found by the ID number's keyed hash and the
name (never stored in clear), so whichever WeChat account the agent logs in with counts."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from citizen_api.agents.transitions import INITIAL


class Authorisation(Model):
    id = fields.IntField(primary_key=True)
    principal_id = fields.IntField(db_index=True)  # the citizen account that gave it
    # the agent as the principal named them (AES-GCM); the person key is the prefix of the ID
    # number's blind index that ``users.service.person_key`` gives the agent's own account
    agent_name_enc = fields.TextField()
    agent_id_number_enc = fields.TextField()
    agent_phone_enc = fields.TextField()
    agent_person_key = fields.CharField(max_length=64, db_index=True)
    items = fields.JSONField(null=True)  # item codes; NULL = every item
    until = fields.DateField()  # in force through this China-time day
    status = fields.CharField(max_length=12, default=INITIAL)  # transitions.py (active | revoked)
    created_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "agent_authorisations"
