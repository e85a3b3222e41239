"""Dialogues and voter meetings in chat: officers announce and answer, citizens ask."""
