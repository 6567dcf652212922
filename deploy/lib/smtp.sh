# shellcheck shell=bash
# SMTP sink for dev and tests: aiosmtpd (Debian python3-aiosmtpd) keeps every message it
# receives in the Maildir $VAR/mail, where tests and developers read what the app sent.

SMTP_PORT=${COUSILAB_SMTP_PORT:-2525}
# Debian's interpreter on purpose: the package is not visible to a pyenv or venv python3.
SMTP_PYTHON=/usr/bin/python3
# The app sends to the sink unless told otherwise. Not exported: a default set here would leak
# into the environment of nested runs (ctest's stack) and override their own port.
SMTP_URL=${COUSILAB_SMTP_URL:-smtp://127.0.0.1:$SMTP_PORT}

smtp_start() {
  if pid_of smtp >/dev/null; then return; fi
  port_open "$SMTP_PORT" && die "port $SMTP_PORT is in use by something else (set COUSILAB_SMTP_PORT)"
  "$SMTP_PYTHON" -c 'import aiosmtpd' 2>/dev/null ||
    die "python3-aiosmtpd is not installed (./deploy/dev up installs it)"
  # All three subdirectories: the handler only creates them with the Maildir itself.
  mkdir -p "$VAR/mail/new" "$VAR/mail/cur" "$VAR/mail/tmp"
  log "starting the SMTP sink on 127.0.0.1:$SMTP_PORT, mail in $VAR/mail/new"
  spawn smtp "$SMTP_PYTHON" -m aiosmtpd --nosetuid --listen "127.0.0.1:$SMTP_PORT" \
    --class aiosmtpd.handlers.Mailbox "$VAR/mail"
  wait_until 15 "the SMTP sink on port $SMTP_PORT (see $LOG/smtp.log)" smtp_ready
}

smtp_ready() { pid_of smtp >/dev/null || die "the SMTP sink exited (see $LOG/smtp.log)"; port_open "$SMTP_PORT"; }

smtp_stop() { stop smtp; }
