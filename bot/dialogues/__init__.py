"""Dialogues (đối thoại) and voter meetings (tiếp xúc cử tri): questions gathered beforehand."""
