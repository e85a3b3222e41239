"""Bot API errors with Telegram's exact status codes and wording."""

from __future__ import annotations

from typing import Any

STATUS_TEXT: dict[int, str] = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


class ApiError(Exception):
    """A Bot API failure answered as {"ok": false, "error_code", "description"}."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram answers with."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    """400 "Bad Request: <detail>"."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """403 "Forbidden: <detail>"."""
    return ApiError(403, f"Forbidden: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """429 with parameters.retry_after, as Telegram's flood control answers."""
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


def for_status(status: int, description: str | None = None, retry_after: int = 1) -> ApiError:
    """An error for an arbitrary status with Telegram's usual wording."""
    if status == 429:
        err = too_many_requests(retry_after)
        if description:
            err.description = description
        return err
    if description is None:
        description = {
            400: "Bad Request: chat not found",
            403: "Forbidden: bot was blocked by the user",
            409: "Conflict: terminated by other getUpdates request; "
            "make sure that only one bot instance is running",
        }.get(status, STATUS_TEXT.get(status, "Unknown Error"))
    return ApiError(status, description)
