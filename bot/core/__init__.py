"""What every feature stands on: settings, the database, the clock, texts, logs, working days."""
