"""Zalo Bot's refusals and the channel's one error classifier."""

from __future__ import annotations

import json
from typing import Any

from bot.messaging.notify import DeliveryError, Verdict

# What Zalo says when the person cannot be written to (compared in lower case).
_CHAT_REFUSES = (
    "chat not found",
    "user not found",
    "not found user",
    "blocked",
    "not allowed",
    "chat_id",
    "no permission",
)
# A 429 without a delay: wait this long, Zalo publishes no figure.
DEFAULT_RETRY_AFTER = 5.0


class ZaloApiError(Exception):
    """Zalo answered `{"ok": false, "error_code": N, "description": …}`, or could not be reached.

    `code` 0 means no answer at all (timeout, refused or lost connection).
    """

    def __init__(self, code: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(f"{code} {description}" if code else description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


def classify(exc: ZaloApiError) -> DeliveryError:
    """Zalo's refusal as the sender sees it: the channel's one error classifier.

    | Zalo answers                                  | verdict                  |
    |-----------------------------------------------|--------------------------|
    | 429, or any code with `parameters.retry_after`| RETRY, retry_after (≥ 5 s unless said) |
    | 401 bad or revoked token, 404 wrong API root  | DOWN                     |
    | 403; 400 "chat not found", "blocked"…         | REFUSED                  |
    | 400 other, other 4xx (a malformed message)    | FAILED                   |
    | 408, 409, 5xx, no answer (timeout, connection)| RETRY                    |

    Checked against `python-zalo-bot` 0.1.9 (the SDK Zalo's documentation
    points to; `zalo_bot/request/_base_request.py`), which reads the HTTP
    status as the Bot API does: `parameters.retry_after` → RetryAfter
    whatever the code, 403 → Forbidden, 401 and 404 → InvalidToken, 400 →
    BadRequest, 409 → Conflict (another getUpdates or a webhook is set: it
    passes), 502 and others → NetworkError. Zalo publishes no list of codes
    or descriptions beyond that; 408 is the empty long poll. The phrases
    above are Telegram's, which the platform copies.

    The gateway maps the same verdicts back to Bot API statuses
    (`bot_api_error`), so the application's handlers see what the sender sees.
    """
    reason = str(exc)
    code = exc.code
    if code == 429 or exc.retry_after is not None:
        return DeliveryError(
            reason, Verdict.RETRY, retry_after=exc.retry_after or DEFAULT_RETRY_AFTER
        )
    if code in (401, 404):
        return DeliveryError(reason, Verdict.DOWN)
    if code == 403:
        return DeliveryError(reason, Verdict.REFUSED)
    if code == 400 and any(phrase in exc.description.lower() for phrase in _CHAT_REFUSES):
        return DeliveryError(reason, Verdict.REFUSED)
    if 400 <= code < 500 and code not in (408, 409):
        return DeliveryError(reason, Verdict.FAILED)
    return DeliveryError(reason, Verdict.RETRY)


# The Bot API status that makes python-telegram-bot raise what the verdict means.
_STATUS = {Verdict.REFUSED: 403, Verdict.DOWN: 401, Verdict.FAILED: 400, Verdict.RETRY: 503}


def bot_api_error(exc: ZaloApiError) -> tuple[int, bytes]:
    """A Zalo refusal as a Bot API error answer, through `classify`."""
    verdict = classify(exc)
    body: dict[str, Any] = {"ok": False, "description": exc.description or str(exc)}
    status = _STATUS[verdict.verdict]
    if verdict.retry_after is not None:
        status = 429
        body["parameters"] = {"retry_after": max(1, round(verdict.retry_after))}
    body["error_code"] = status
    return status, json.dumps(body).encode()
