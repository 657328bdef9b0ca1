"""Issue 6: the benchmark behind `manage.py benchmark` (cases, timing, raw SQL, report)."""
