#!/usr/bin/env bash
# Print the path of a Python 3.12+ interpreter, or explain and fail.
set -u
want=$(tr -d '[:space:]' < "$(dirname "$0")/../.python-version" 2>/dev/null || echo 3.12)
candidates=()
if command -v pyenv >/dev/null 2>&1; then
  prefix=$(pyenv prefix "$want" 2>/dev/null | head -1) && candidates+=("$prefix/bin/python")
  for v in $(pyenv versions --bare 2>/dev/null | sort -rV); do
    candidates+=("$(pyenv root)/versions/$v/bin/python")
  done
fi
candidates+=("python$want" python3.14 python3.13 python3.12 python3 python)
for py in "${candidates[@]}"; do
  path=$(command -v "$py" 2>/dev/null) || continue
  if "$path" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
echo "Better Together needs Python 3.12 or newer, and none was found." >&2
echo "Install it (for example 'pyenv install 3.12' or your system's python3.12 package) and run this again." >&2
exit 1
