"""Synthetic national-scale data: `manage.py generate_synthetic` fills the
register with millions of plausible rows to measure pages, exports and
reports at the size of DESIGN.md's "Scale" section."""
