"""The buttons of /mydata: erase (after a confirmation) or leave everything as it is."""

from __future__ import annotations

from bot.messaging.actions import Action


class MyDataErase(Action, prefix="mydata:ask"):
    """Ask to confirm the erasure."""


class MyDataConfirm(Action, prefix="mydata:yes"):
    pass


class MyDataClose(Action, prefix="mydata:no"):
    pass
