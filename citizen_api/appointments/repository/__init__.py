"""Every query of the appointment domain, by what it serves:

- ``bookings``: slots as citizens see them, appointments, the waiting list, suspensions;
- ``counters``: the places, quotas and queue numbers changed in one statement (and the slot lock);
- ``halls``: offices, window groups, windows, schedule templates and the slots made from them;
- ``queue_tickets``: the hall's queue tickets.
"""
