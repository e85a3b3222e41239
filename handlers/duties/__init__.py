"""Chat handlers for officers' duties: reminders' buttons, /duties, report uploads."""
