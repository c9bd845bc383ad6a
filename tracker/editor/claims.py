"""Claim forms: cut a claim from a statement (anchored like the importer), edit it, tie it to what it answers."""
