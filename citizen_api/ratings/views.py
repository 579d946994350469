"""Rendering ratings, rectifications and appeals: the rows map onto the schemas (``from_attributes``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from citizen_api import clock
from citizen_api.http.schemas import Overlay
from citizen_api.ratings import transitions as t
from citizen_api.ratings.models import Appeal, Rating, Rectification, RectificationNote
from citizen_api.ratings.schemas import AppealView, RatingView, StaffRatingView


def rating_view(rating: Rating) -> RatingView:
    """``rating`` with its rectification prefetched (``repository`` loads them together)."""
    return RatingView.model_validate(rating)


def appeal_view(appeal: Appeal) -> AppealView:
    return AppealView.model_validate(appeal)


def overdue(rect: Rectification | None, today: date) -> bool:
    """The return visit not recorded by its day, or the rectification not reported by its day."""
    if rect is None:
        return False
    if rect.status == t.OPEN and today > rect.visit_due:
        return True
    return rect.status in (t.OPEN, t.VISITED) and today > rect.rectify_due


def staff_rating_view(
    rating: Rating,
    number: str | None,
    notes: Sequence[RectificationNote] = (),
    appeals: Sequence[Appeal] = (),
    department_name: str | None = None,
    actions: Sequence[str] = (),
) -> StaffRatingView:
    """The staff's view: the rating, its case's number, the rectification's deadlines and state (flat,
    for the supervision list), its notes and the appeals."""
    rect = rating.rectification
    return StaffRatingView.model_validate(
        Overlay(
            rating,
            application_number=number,
            department_name=department_name,
            notes=list(notes),
            appeals=list(appeals),
            rectification_status=rect.status if rect else None,
            rectification_status_text=rect.status_text if rect else None,
            visit_due=rect.visit_due if rect else None,
            visited_at=rect.visited_at if rect else None,
            rectify_due=rect.rectify_due if rect else None,
            overdue=overdue(rect, clock.today()),
            actions=list(actions),
        )
    )
