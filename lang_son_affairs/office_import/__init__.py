"""Importing the office's own spreadsheets: any workbook, its header row found, its columns mapped."""
