"""Dashboard pieces: rendering helpers kept apart from app.py so they can be tested without a browser."""
