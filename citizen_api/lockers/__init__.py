"""24-hour self-service pickup (自助取件): a finished result put into a locker at the hall."""
