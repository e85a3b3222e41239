"""Local Telegram Bot API sandbox: a fake Telegram for the real PTB bot, tests and web chat."""

from bot.sandbox.errors import ApiError
from bot.sandbox.files import SAMPLE_OGG, SAMPLE_PNG, make_png
from bot.sandbox.harness import ChatView, SimGroup, SimUser
from bot.sandbox.limits import Fault, Limits
from bot.sandbox.models import CallbackAnswer, CallRecord, Persona
from bot.sandbox.server import DEFAULT_PERSONAS, DEFAULT_TOKEN, SandboxServer
from bot.sandbox.state import SandboxState
from bot.sandbox.views import BotMessage, ChatMessage

__all__ = [
    "DEFAULT_PERSONAS",
    "DEFAULT_TOKEN",
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
    "make_png",
]
