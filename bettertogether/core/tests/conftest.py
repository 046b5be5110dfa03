# Fresh, empty databases for the backup tests to restore into.
from .backup_support import fresh_database  # noqa: F401 (a pytest fixture)
