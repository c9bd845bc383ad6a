"""Link health: `tracker links check` asks every evidence link and statement source whether it still
answers, through a guard that only lets it reach public addresses (guard.py, fetch.py, check.py)."""
