"""许可公示: decisions on business items published for anyone to search (never a natural person's data)."""
