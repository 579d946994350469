"""Every query of 效能考评: ``weights`` (the weighting in force) and ``months`` (computed months, their
scores and the cases behind them)."""
