"""许可公示: every decision (准予许可 / 不予许可) on a business item is published for anyone to search.

- :func:`publish_approval` / :func:`publish_rejection`: the cases domain's ``on_approve`` and
  ``on_reject`` hooks (registered by ``citizen_api.domains`` after the licences' issue, so that an
  approval's licence number is known), in the decision's own unit of work;
- what is published is the item, the company (and its credit code) the case's form named or its
  licence carries, the decision, its date and the result number (the licence's, else the case's) —
  never the applicant's name, ID number or phone. A business item's case that named no company
  (a natural person applying for a ``both`` item) publishes nothing.
"""

from __future__ import annotations

from citizen_api import clock
from citizen_api.catalog import service as catalog
from citizen_api.http import Page
from citizen_api.licences import service as licences
from citizen_api.publicity import repository as repo
from citizen_api.publicity.models import PublishedDecision
from citizen_api.publicity.schemas import PublishedDecisionOut

DECISION_TEXT = {"approved": "准予许可", "rejected": "不予许可"}


async def _publish(case, decision: str, settings) -> None:
    version = await catalog.version_info(case.item_version_id)
    if version is None or version.audience == "personal":
        return
    subject = await licences.case_subject(case, settings)
    if not subject:
        return
    result_number = subject["licence_number"] if decision == "approved" else ""
    values = {
        "application_id": case.id,
        "item_code": case.item_code,
        "item_name": case.item_name,
        "department_code": case.department_code,
        "company": subject["company"],
        "credit_code": subject["credit_code"],
        "decision": decision,
        "decided_on": clock.today(),
        "result_number": result_number or case.number,
    }
    words = (values["company"], values["credit_code"], values["item_name"], values["result_number"])
    await repo.publish(**values, search_text=" ".join(w for w in words if w).lower())


async def publish_approval(case, actor, settings) -> None:
    await _publish(case, "approved", settings)


async def publish_rejection(case, actor, settings) -> None:
    await _publish(case, "rejected", settings)


async def decisions(q: str, offset: int, size: int) -> Page[PublishedDecisionOut]:
    total, rows = await repo.page(q.strip(), offset, size)
    return Page[PublishedDecisionOut](total=total, items=[_out(row) for row in rows])


def _out(row: PublishedDecision) -> PublishedDecisionOut:
    return PublishedDecisionOut(
        item_code=row.item_code,
        item_name=row.item_name,
        company=row.company,
        credit_code=row.credit_code,
        decision=row.decision,  # type: ignore[arg-type]
        decision_text=DECISION_TEXT.get(row.decision, row.decision),
        decided_on=row.decided_on,
        result_number=row.result_number,
    )
