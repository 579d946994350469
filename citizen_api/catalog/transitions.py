"""The lifecycle of an item version, in one table: (from status, action) → to status.

A version is written as a draft, becomes the item's published version when an admin (or an import)
publishes it, and is retired when a newer version is published; a retired version stays readable
(applications keep the version they were filed under). Nothing else decides whether a version may
change status: ``admin.write_publish`` moves versions through :func:`target`, with a conditional
UPDATE, and the tests walk the table.

Taking an item offline (``unpublish``) is not a version transition: the item's ``is_published``
flag hides it and its published version stays as it is, ready to be put back online.
"""

from __future__ import annotations

VERSION_STATUSES = ("draft", "published", "retired")

VERSION_TRANSITIONS: dict[tuple[str, str], str] = {
    ("draft", "publish"): "published",
    ("published", "retire"): "retired",
}

VERSION_ACTIONS = tuple(dict.fromkeys(action for _, action in VERSION_TRANSITIONS))


class VersionTransitionRefused(ValueError):
    """A status change the table does not list (a bug in the caller, never a citizen's input)."""


def target(status: str, action: str) -> str:
    """Where ``action`` takes a version in ``status``; refused when the table does not list it."""
    to = VERSION_TRANSITIONS.get((status, action))
    if to is None:
        raise VersionTransitionRefused(f"item version: {action} is not allowed from {status}")
    return to
