"""A citizen's personal data across every feature (Decree 13/2023/NĐ-CP): see it, erase it, expire it."""
