"""Rendering complaints: the rows map onto the schemas (``from_attributes``) with their case numbers."""

from __future__ import annotations

from datetime import date

from citizen_api.complaints import transitions as t
from citizen_api.complaints.models import Complaint
from citizen_api.complaints.schemas import ComplaintView, StaffComplaintView
from citizen_api.http.schemas import Overlay


def complaint_view(complaint: Complaint, number: str | None) -> ComplaintView:
    return ComplaintView.model_validate(Overlay(complaint, application_number=number))


def staff_view(complaint: Complaint, number: str | None, today: date) -> StaffComplaintView:
    overdue = complaint.status == t.OPEN and today > complaint.due_on
    return StaffComplaintView.model_validate(Overlay(complaint, application_number=number, overdue=overdue))
