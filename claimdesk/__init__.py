"""Claimdesk: settings, pipeline and CLI composed over the claims → retrieval → verification → review stages."""

__version__ = "0.1.0"
