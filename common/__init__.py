"""Below every stage: what both claims and retrieval need and neither may own (they never import each other)."""
