"""投诉: a citizen's complaint about a case or the hall, answered by a supervisor within a deadline."""
