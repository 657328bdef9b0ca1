"""Django's JSON serialization without its one loss: DjangoJSONEncoder cuts
times to milliseconds (ECMA-262 style, ``21:50:35.468034`` → ``.468``), so a
backup and restore would change every timestamp. This format writes them to
the microsecond; Django's own JSON deserializer reads them back unchanged.

Registered as the serialization format ``exact-json`` by the backups
(operations/backups.py)."""

import datetime as dt

from django.core.serializers import json as django_json


class ExactJSONEncoder(django_json.DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time):
            if o.utcoffset() is not None:
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = django_json.Deserializer
