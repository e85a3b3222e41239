"""Chat handlers for public answers: citizens browse, officers publish and withdraw."""
