"""Consultations in chat: citizens answer and comment, officers compose and follow."""
