"""Verification: stance of each piece of evidence towards a claim, consistency checks, and the claim verdict."""
