"""Importing the office's own spreadsheets: any layout, its columns mapped once (issue 15)."""
