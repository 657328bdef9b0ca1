"""``field__blank=True``: the text is empty or white space only, as Python's
``str.strip()`` sees it (projects/iati_requirements.py tests it both ways: in
Python for the file, in the database for the list's count of what was left out).

Written as ``trim(field, <every white-space character>) = ''`` (PostgreSQL's
``btrim``) rather than the regular expression ``^\\s*$``: on SQLite REGEXP is a
Python function called once per row, and on PostgreSQL the regular expression
engine costs more than trimming too (the national list of projects left out of
the IATI file tests the title and the description of 200,000 projects). The
characters are Python's, so the database and ``str.strip()`` agree to the
character (PostgreSQL's ``\\s`` leaves out the no-break spaces, U+00A0 and others)."""

from django.db.models import CharField, Lookup, TextField

WHITE_SPACE = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())


class Blank(Lookup):
    lookup_name = "blank"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if self.rhs is not True:
            raise ValueError("__blank takes True only; negate the condition for text that is not blank.")
        lhs, params = compiler.compile(self.lhs)
        trim = "btrim" if connection.vendor == "postgresql" else "trim"
        return f"{trim}({lhs}, %s) = ''", (*params, WHITE_SPACE)


CharField.register_lookup(Blank)
TextField.register_lookup(Blank)
