"""Chinese search over the published catalog: an in-memory index in every API process."""
