"""The days tests fix the clock to, so that they pass on any day they run."""

from __future__ import annotations

import datetime as dt

# A day after every changelog row and ``last_reinforced`` date in the bundled ``vault/``.
BUNDLED_VAULT_DAY = dt.date(2026, 12, 1)
