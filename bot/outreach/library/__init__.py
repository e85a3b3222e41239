"""The content library: Markdown items with front matter, synced into SQLite, rendered for reading."""
