"""OneTrip citizen API: the Starlette application behind the mini-program."""
