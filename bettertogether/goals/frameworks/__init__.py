"""Frameworks of standards or competencies: reading them from a file, keeping them up to date,
and tagging coaching work with their items.

A network admin imports a framework from a CASE 1.1 JSON package (`case.py`) or a simple
CSV (`plain_csv.py`). The whole file is read and checked first (`source.py`); every problem
is listed with where it is (a JSON path, or a CSV line and column), what is wrong and how to
fix it, and nothing changes unless all is well. `plan.py` compares the file with what the
network holds and writes the difference; importing the same file again changes nothing.

Coaches tag goals, cycles and interactions with a framework's items (`services.py`), and the
framework's page counts, per item, how much coaching touched it (`selectors.py`). The
framework itself is public text; only counts of the coaching tagged with it are shown.
"""
