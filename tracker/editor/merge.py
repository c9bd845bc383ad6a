"""Merging duplicate claims: what hangs on the duplicate moves to the surviving claim."""
