"""Recurring duties of commune officers: calendar, periods, reminders and escalation."""
