"""Chat handlers for people: onboarding, /settings, officers' commands, blocks."""
