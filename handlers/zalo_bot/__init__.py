"""The Zalo Bot channel: a python-telegram-bot Application whose requests speak the Zalo Bot API."""
