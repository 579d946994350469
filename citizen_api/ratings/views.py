"""Rendering ratings, rectifications and appeals: the rows map onto the schemas (``from_attributes``)."""

from __future__ import annotations

from collections.abc import Sequence

from citizen_api.http.schemas import Overlay
from citizen_api.ratings.models import Appeal, Rating, RectificationNote
from citizen_api.ratings.schemas import AppealView, RatingView, StaffRatingView


def rating_view(rating: Rating) -> RatingView:
    """``rating`` with its rectification prefetched (``repository`` loads them together)."""
    return RatingView.model_validate(rating)


def appeal_view(appeal: Appeal) -> AppealView:
    return AppealView.model_validate(appeal)


def staff_rating_view(
    rating: Rating,
    number: str | None,
    notes: Sequence[RectificationNote] = (),
    appeals: Sequence[Appeal] = (),
) -> StaffRatingView:
    """The staff's view: the rating, its case's number, the rectification's notes and the appeals."""
    return StaffRatingView.model_validate(
        Overlay(rating, application_number=number, notes=list(notes), appeals=list(appeals))
    )
