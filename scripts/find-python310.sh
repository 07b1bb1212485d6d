#!/usr/bin/env sh
# Print the path of a Python 3.10 interpreter, or explain how to get one.
# Rasa 3.6 supports Python 3.8-3.10; this project uses 3.10.
is_310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

for candidate in "${PYTHON310:-}" python3.10 python3 \
    "$(pyenv root 2>/dev/null)"/versions/3.10*/bin/python3.10 \
    "$HOME"/.pyenv/versions/3.10*/bin/python3.10 \
    /usr/local/bin/python3.10 /usr/bin/python3.10; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if is_310 "$path"; then echo "$path"; exit 0; fi
done

cat >&2 <<'MSG'
No Python 3.10 found. Rasa 3.6 needs Python 3.10 (3.8-3.10 supported).
Install one, for example:
  pyenv install 3.10.13            (then run make again)
  apt-get install python3.10 python3.10-venv
or point the Makefile at it:  make PYTHON310=/path/to/python3.10 ...
MSG
exit 1
