"""The python-telegram-bot application: building and running it, the gate, menu, commands, errors and the sender channel."""
