"""ORM querysets compiled to SQL once per process, then run with new parameters.

On this hardware Django spends ~0.4 ms of CPU *building* the SQL of a small
query, more than the database needs to answer it. The partner API's brief
list and detail (publishing/api.py), whose whole uncached budgets are 12x and
8x a bare view, are a few such builds: their queries are written as ordinary
querysets (starting from `Edition.objects.public()`, the one gate) and
compiled once; each request substitutes its own values for the sentinels and
runs the cached SQL through the connection's cursor. The brief, actor and
agreement pages (publishing/views.py, publishing/pages.py) read their rows the
same way: at 1,000 briefs this took the brief page from about 13x to about 3x
a bare view on SQLite. The comparison page (actors/comparisons.py) reads
its actors and indicators the same way.

Only simple parameters are substituted: values equal to a sentinel. Lists are
compiled at a fixed length, padded with ids that cannot exist. A page of the
rows (`limit`, `offset`) is asked with parameters of its own: Django writes a
slice's numbers into the SQL, so a sliced queryset would compile once per page.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import QuerySet

_SENTINEL_TIME = datetime.datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=datetime.UTC)


class CompiledQuery:
    """A `values_list` queryset's SQL, compiled on first use per database vendor.

    `build` receives the sentinels by keyword and returns the queryset. Call
    the object with real values under the same names; it returns row tuples.
    A sentinel that is a list is compiled as that many parameters.
    """

    def __init__(
        self, build: Callable[..., QuerySet], *, convert: bool = False, **sentinels: Any
    ) -> None:
        """With `convert`, rows come back as the ORM gives them (dates,
        aware times, UUIDs: the fields' own converters); without, as the
        database driver does (on SQLite, text for all three)."""
        self.build = build
        self.convert = convert
        self.sentinels = sentinels
        self._compiled: dict[str, tuple[str, list[tuple[str, int | None, Any]]]] = {}
        self._converters: dict[str, dict[int, tuple[list, Any]]] = {}

    @staticmethod
    def time_sentinel() -> datetime.datetime:
        return _SENTINEL_TIME

    def _adapt(self, value: Any) -> Any:
        if isinstance(value, datetime.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def _compile(self) -> tuple[str, list[tuple[str, int | None, Any]]]:
        queryset = self.build(**self.sentinels)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        if self.convert:
            self._converters[connection.vendor] = compiler.get_converters(
                [column for column, _, _ in compiler.select]
            )
        lookup: dict[Any, tuple[str, int | None]] = {}
        for name, value in self.sentinels.items():
            if isinstance(value, list):
                for index, item in enumerate(value):
                    lookup[self._adapt(item)] = (name, index)
            else:
                lookup[self._adapt(value)] = (name, None)
                lookup[value] = (name, None)
        slots = []
        for param in params:
            name, index = lookup.get(param, ("", None))
            slots.append((name, index, param))
        found = {name for name, _, _ in slots if name}
        missing = set(self.sentinels) - found
        if missing:
            raise RuntimeError(f"sentinels not found in the compiled SQL: {missing}")
        return sql, slots

    def __call__(
        self, *, limit: int | None = None, offset: int = 0, **values: Any
    ) -> list[tuple]:
        """The rows for `values`; with `limit`, that many from `offset` on."""
        compiled = self._compiled.get(connection.vendor)
        if compiled is None:
            compiled = self._compiled[connection.vendor] = self._compile()
        sql, slots = compiled
        params = []
        for name, index, constant in slots:
            if not name:
                params.append(constant)
            elif index is None:
                params.append(self._adapt(values[name]))
            else:
                params.append(values[name][index])
        if limit is not None:
            # The same words on SQLite and PostgreSQL; the built queryset is
            # not sliced, so its SQL ends with its ORDER BY.
            sql = f"{sql} LIMIT %s OFFSET %s"
            params += [limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        converters = self._converters.get(connection.vendor)
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters.items():
                for function in functions:
                    row[position] = function(row[position], expression, connection)
            converted.append(tuple(row))
        return converted
