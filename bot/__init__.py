"""Dân vận bot: the domain, storage, settings and wiring of the commune's chatbot."""

import os

# Opt in now to python-telegram-bot's coming behaviour: durations such as
# RetryAfter.retry_after are timedeltas. Without this PTB 22 warns on every
# 429, and the warning is an error in the tests.
os.environ.setdefault("PTB_TIMEDELTA", "1")
