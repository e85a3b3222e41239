"""The buttons of a duty reminder: each names the period, and the role is checked on press."""

from __future__ import annotations

from bot.messaging.actions import Action


class DutyAction(Action):
    period_id: int


class DutyDone(DutyAction, prefix="duty:done"):
    pass


class DutyAttach(DutyAction, prefix="duty:file"):
    pass


class DutySnooze(DutyAction, prefix="duty:snooze"):
    pass


class DutyConfirmDone(DutyAction, prefix="duty:yes"):
    """The second step of Done: one tap alone no longer closes a duty."""


class DutyKeepOpen(DutyAction, prefix="duty:no"):
    pass


class DutyUndo(DutyAction, prefix="duty:undo"):
    """Reopen a period marked done by mistake, for a short while after."""
