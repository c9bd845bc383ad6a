"""Public corrections: the site-wide list of dated notes on changed published wording."""
