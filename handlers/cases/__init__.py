"""Chat handlers for cases: the citizen's form and tracking, the officer's card and lists."""
