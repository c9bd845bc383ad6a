"""Verdict form: a rating on the published scale, the explanation and the evidence it rests on."""
