"""AB角 (backup staff): every clerk's named backup, who takes over their queue and held cases while
they are away."""
