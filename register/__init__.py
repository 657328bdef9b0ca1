"""The register's shared machinery, which knows its domain: the publishable base
models and what a visitor sees (publishable.py), the review workflow, the audit
trail, the base admin classes and the admin site, the imports (the admin's and
the offices' lists), the exports, the tallies, media serving, roles, errors,
language, request limits and login throttling, the deployment checks, the index
comments and the template tags (vn, audit, review_queue)."""
