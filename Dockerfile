# Dân vận bot: one commune per container. Its settings come from the
# environment (docker run --env-file), its data (SQLite, report drafts) lives
# in the /app/data volume. See deploy/README.md.
FROM python:3.11-slim

# MPLCONFIGDIR: matplotlib's font cache, built below so that the first report
# does not build it (and the bot's user can write there).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MPLCONFIGDIR=/opt/matplotlib

# The bot never needs root: a system user without a login shell runs it.
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin danvan

WORKDIR /app
# The code stays in /app (an editable install, as `make` does): the bot finds
# content/ (library, FAQ, duties, catalogs) beside its package.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY scheduler ./scheduler
COPY sandbox ./sandbox
COPY content ./content
# compileall: the bot's own bytecode, made once here. Without it every start
# would compile its ~260 modules again (PYTHONDONTWRITEBYTECODE, and /app is
# not the bot user's to write), half a second before the first answer.
RUN pip install -e . \
    && python -m compileall -q bot handlers scheduler sandbox \
    && mkdir -p /app/data "$MPLCONFIGDIR" \
    && python -c "import matplotlib.font_manager" \
    && chown -R danvan:danvan /app/data "$MPLCONFIGDIR"

USER danvan
# DATABASE_URL defaults to sqlite:///data/danvan.db, relative to /app.
VOLUME ["/app/data"]
# Webhook mode listens here (WEBHOOK_PORT); long polling needs no port.
EXPOSE 8443
# Exec form: the bot is PID 1 and gets SIGTERM from `docker stop`, then
# stops taking updates and lets the messages in flight finish.
CMD ["python", "-m", "bot", "run"]
