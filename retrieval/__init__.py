"""Retrieval: corpus loading, passages, embedding, the persisted index and hybrid search."""
