"""Moderation: submissions wait in a queue; editors approve or reject them with a reason."""
