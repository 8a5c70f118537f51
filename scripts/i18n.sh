#!/usr/bin/env bash
# Translation catalogues: `scripts/i18n.sh update` after changing any user-facing string,
# translate the new entries in survey/translations/zh_Hans_CN/LC_MESSAGES/messages.po, then
# `scripts/i18n.sh compile`. Both the .po and the compiled .mo are committed;
# tests/test_i18n.py fails when a message lacks a translation or the .mo is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
BABEL=${BABEL:-.venv/bin/pybabel}
[ -x "$BABEL" ] || BABEL=pybabel
DIR=survey/translations
case "${1:-}" in
  extract)
    "$BABEL" extract -F babel.cfg -k _l -k N_ -k lazy_gettext -k ngettext:1,2 \
      --no-location --sort-output --project "SME Digital Readiness Survey" \
      -o "$DIR/messages.pot" .
    ;;
  update)
    "$0" extract
    if [ -f "$DIR/zh_Hans_CN/LC_MESSAGES/messages.po" ]; then
      "$BABEL" update -i "$DIR/messages.pot" -d "$DIR" -l zh_Hans_CN --no-fuzzy-matching \
        --ignore-obsolete
    else
      "$BABEL" init -i "$DIR/messages.pot" -d "$DIR" -l zh_Hans_CN
    fi
    ;;
  compile)
    "$BABEL" compile -d "$DIR" --statistics
    ;;
  *)
    echo "usage: scripts/i18n.sh extract|update|compile" >&2
    exit 2
    ;;
esac
