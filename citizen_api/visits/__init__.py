"""上门服务 (home visits): staff come to citizens who cannot come to the hall."""
