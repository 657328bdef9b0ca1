"""The periodic foreign-affairs report (issue 18): its content, drawn from the
register as a JSON snapshot (content.py), the prefilled narrative
(narrative.py) and the files made from the snapshot (documents.py: DOCX, XLSX,
PDF). Pure functions: the saved report record calls them and keeps what they
return."""
