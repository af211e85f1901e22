"""CSV downloads that a spreadsheet opens safely.

Every cell goes through `safe_cell`: text that a spreadsheet would run as a
formula (starting with =, +, -, @, a tab or a carriage return) gets a leading
apostrophe, as OWASP advises against CSV injection. Numbers stay numbers:
"-5" and "3.5" pass unchanged. The csv module does the quoting (commas,
quotes, line breaks inside a cell).
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def safe_cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def csv_response(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, filename: str
) -> HttpResponse:
    """A UTF-8 CSV download (with a BOM, so spreadsheets read "Vučić" right)."""
    response = HttpResponse(
        "\ufeff" + csv_text(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
