"""Local Telegram Bot API sandbox: a fake Telegram for the real PTB bot, tests and web chat."""

from sandbox.errors import ApiError
from sandbox.files import SAMPLE_OGG, SAMPLE_PNG, make_png
from sandbox.harness import ChatView, SimGroup, SimUser, SimZaloUser
from sandbox.limits import Fault, Limits
from sandbox.models import CallbackAnswer, CallRecord, Persona
from sandbox.server import DEFAULT_PERSONAS, DEFAULT_TOKEN, SandboxServer
from sandbox.state import SandboxState
from sandbox.views import BotMessage, ChatMessage
from sandbox.zalobot import DEFAULT_ZALO_TOKEN

__all__ = [
    "DEFAULT_PERSONAS",
    "DEFAULT_TOKEN",
    "DEFAULT_ZALO_TOKEN",
    "SAMPLE_OGG",
    "SAMPLE_PNG",
    "ApiError",
    "BotMessage",
    "CallRecord",
    "CallbackAnswer",
    "ChatMessage",
    "ChatView",
    "Fault",
    "Limits",
    "Persona",
    "SandboxServer",
    "SandboxState",
    "SimGroup",
    "SimUser",
    "SimZaloUser",
    "make_png",
]
