"""A OneRoster bundle's `manifest.csv`: its version and how each file is sent (bulk, delta
or absent), and which file of the zip is which.

Read leniently where the meaning is plain — property names and modes in any case, an empty
mode as absent, a version written `v1.2` or `1.2.0`, a missing version told by whether the
bundle has roles, file names in another case, files the manifest forgets that we do not
read — each said as a warning. What could mean two things (an unknown file property, a
mode such as `full`, a file we read that the manifest does not mention) is a problem.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import oneroster_spec as spec
from .problems import Problems
from .upload import FileUnreadable, Source, csv_message

MANIFEST = "manifest.csv"
_VERSION = re.compile(r"v?(1)[.p]([12])(?:\.0)?\Z", re.IGNORECASE)


@dataclass
class Manifest:
    version: str
    modes: dict[str, str]  # "orgs.csv" → bulk / delta / absent
    members: dict[str, str] = field(default_factory=dict)  # "users.csv" → name in the zip

    def mode(self, name: str) -> str:
        return self.modes.get(name, "absent")


def read_manifest(source: Source, problems: Problems) -> Manifest | None:
    """The manifest, or None when the bundle cannot be read without it."""
    found = _member(source, MANIFEST, problems)
    if found is None:
        problems.add(_("The zip has no manifest.csv. Every OneRoster bundle starts with one; "
                       "export the roster again from your student information system."),
                     file=MANIFEST)
        return None
    try:
        properties = _properties(source, found, problems)
    except FileUnreadable as error:
        problems.add(error.message, file=MANIFEST, line=error.line)
        return None
    if properties is None:
        return None
    manifest = _manifest_from(properties, problems)
    if manifest is not None:
        _match_files(source, manifest, found, problems)
    return manifest


def _member(source: Source, name: str, problems: Problems) -> str | None:
    """The zip's file for `name`, matched whatever its case (a warning if it differs)."""
    if name in source.names:
        return name
    for found in source.names:
        if found.lower() == name.lower():
            problems.warn(_("%(found)s read as %(name)s.") % {"found": found, "name": name},
                          file=name, kind="file-name")
            return found
    return None


def _properties(source, found, problems) -> dict[str, tuple[str, int]] | None:
    properties: dict[str, tuple[str, int]] = {}
    with source.lines(found) as lines:
        reader = csv.reader(lines)
        try:
            header = next(reader, None)
            lines.record_done(reader.line_num)
            if [spec.header_key(cell) for cell in header or []][:2] != ["propertyname",
                                                                       "value"]:
                problems.add(_("The first line must be the header propertyName,value (found "
                               "%(found)s).") % {"found": ",".join(header or [])},
                             file=MANIFEST, line=1)
                return None
            for row in reader:
                lines.record_done(reader.line_num)
                if not any(cell.strip() for cell in row):
                    continue
                _property(row, reader.line_num, properties, problems)
        except csv.Error as error:
            problems.add(csv_message(error),
                         file=MANIFEST, line=reader.line_num)
            return None
    return properties


def _property(row, line, properties, problems) -> None:
    while len(row) > 2 and not row[-1].strip():
        row = row[:-1]
    if len(row) != 2:
        problems.add(_("Each line holds a property name and a value; this one has "
                       "%(n)s values.") % {"n": len(row)}, file=MANIFEST, line=line)
        return
    name, value = row[0].strip(), row[1].strip()
    key = name.lower()
    if key in properties:
        if properties[key][0].lower() == value.lower():
            problems.warn(_("%(name)s is given twice, the same both times.") % {"name": name},
                          file=MANIFEST, line=line, column="propertyName")
            return
        problems.add(_("%(name)s is also on line %(line)s.") % {
            "name": name, "line": properties[key][1]}, file=MANIFEST, line=line,
            column="propertyName")
        return
    properties[key] = (value, line)


def _manifest_from(properties: dict[str, tuple[str, int]], problems: Problems):
    version = _version(properties, problems)
    if version is None:
        return None
    manifest_version, line = properties.get("manifest.version", ("", None))
    if manifest_version != spec.MANIFEST_VERSION:
        problems.warn(_("manifest.version should be 1.0 (found “%(found)s”); the manifest "
                        "was read as 1.0.") % {"found": manifest_version},
                      file=MANIFEST, line=line, column="value")
    files = {name.lower(): name for name in spec.MANIFEST_FILES[version]}
    modes: dict[str, str] = {}
    for key, (value, line) in properties.items():
        if key in {"manifest.version", "oneroster.version"} or key.startswith("source."):
            continue
        stem = files.get(key[5:]) if key.startswith("file.") else None
        if stem is None:
            _unknown_property(key, line, version, problems)
            continue
        mode = _mode(stem, value, line, problems)
        if mode is not None:
            modes[f"{stem}.csv"] = mode
    return Manifest(version=version, modes=modes)


def _version(properties, problems) -> str | None:
    value, line = properties.get("oneroster.version", ("", None))
    if value in spec.COLUMNS:
        return value
    matched = _VERSION.match(value)
    if matched:
        version = f"{matched[1]}.{matched[2]}"
        problems.warn(_("oneroster.version “%(found)s” read as %(version)s.") % {
            "found": value, "version": version}, file=MANIFEST, line=line, column="value")
        return version
    if not value:
        version = "1.2" if "file.roles" in properties else "1.1"
        problems.warn(_("The manifest does not say its OneRoster version; read as "
                        "%(version)s, as its files are.") % {"version": version},
                      file=MANIFEST, column="oneroster.version")
        return version
    problems.add(_("oneroster.version must be 1.1 or 1.2 (found “%(found)s”). We read "
                   "OneRoster 1.1 and 1.2 bundles.") % {"found": value},
                 file=MANIFEST, line=line, column="value")
    return None


def _unknown_property(key, line, version, problems) -> None:
    if key.startswith("file."):
        problems.add(_("%(name)s is not a OneRoster %(version)s manifest property.") % {
            "name": key, "version": version}, file=MANIFEST, line=line,
            column="propertyName")
        return
    problems.warn(_("%(name)s is not a OneRoster manifest property; it was ignored.") % {
        "name": key}, file=MANIFEST, line=line, column="propertyName")


def _mode(stem, value, line, problems) -> str | None:
    mode = value.lower()
    if mode in spec.PROCESSING_MODES:
        if mode != value:
            problems.warn(_("“%(value)s” read as %(mode)s.") % {"value": value, "mode": mode},
                          file=MANIFEST, line=line, column="value", kind="mode-case")
        return mode
    if not mode:
        problems.warn(_("No mode is given for the file; read as absent."),
                      file=MANIFEST, line=line, column="value", kind="mode-empty")
        return "absent"
    problems.add(_("file.%(name)s must be bulk, delta or absent (found “%(value)s”).") % {
        "name": stem, "value": value}, file=MANIFEST, line=line, column="value")
    return None


def _match_files(source: Source, manifest: Manifest, manifest_member: str,
                 problems: Problems) -> None:
    """Which file of the zip each manifest line means; every file the manifest sends is
    there, and every file we read is in the manifest."""
    read = set(spec.READ_ORDER[manifest.version])
    matched: set[str] = set()
    for name, mode in sorted(manifest.modes.items()):
        found = _member(source, name, problems)
        if found is not None:
            matched.add(found)
        if mode in {"bulk", "delta"} and found is None:
            if name in read:
                problems.add(_("manifest.csv lists %(name)s as %(mode)s, but the zip does "
                               "not hold it.") % {"name": name, "mode": mode}, file=name)
            continue
        if mode == "absent" and found is not None:
            problems.warn(_("manifest.csv says %(name)s is absent, so it was not read, though "
                            "the zip holds it.") % {"name": name}, file=name)
            continue
        if found is not None and name in read:
            manifest.members[name] = found
    for name in sorted(read - set(manifest.modes)):
        if not any(found.lower() == name.lower() for found in source.names):
            problems.warn(_("manifest.csv does not mention %(name)s; read as absent.") % {
                "name": name}, file=MANIFEST, kind=f"unmentioned:{name}")
    for found in sorted(set(source.names) - matched - {manifest_member}):
        if found.lower() in {name.lower() for name in read}:
            problems.add(_("%(name)s is in the zip but manifest.csv does not list it (add a "
                           "line file.%(stem)s,bulk).") % {"name": found, "stem": found[:-4]},
                         file=found)
        else:
            problems.warn(_("%(name)s is in the zip but manifest.csv does not list it; it "
                            "was not read.") % {"name": found}, file=found)
    if manifest.version == "1.2" and manifest.mode("users.csv") == "bulk" and (
        manifest.mode("roles.csv") == "absent"
    ):
        problems.add(_("A 1.2 bundle with a complete users.csv needs roles.csv too: it says "
                       "who is a teacher, a principal or an administrator."), file="roles.csv")
