"""The reports app's admin: the issued reports (reports/issued/admin.py)."""

from reports.issued import admin  # noqa: F401
