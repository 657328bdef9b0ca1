"""Helpers that know no domain: text and dates, collation, paging, spreadsheets
and documents, storage, settings from the environment. Nothing here imports an
app of the register (offices, register, the record apps)."""
