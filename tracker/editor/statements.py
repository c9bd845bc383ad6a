"""Statement forms: add and edit a statement's verbatim text and facts; claims re-anchored when the text changes."""
