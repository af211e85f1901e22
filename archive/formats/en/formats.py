"""English dates as the archive has always written them: 21 May 2025.

Serbian (sr, sr_Latn) uses Django's own formats: 21. мај 2025. / 21. maj 2025.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
