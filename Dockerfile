# Production image: gunicorn serves the app; the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /src
# Exactly the lockfile's packages, checked against its integrity hashes (ADR 0024).
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=ctodp.settings.production
WORKDIR /app
RUN useradd --system --create-home ctodp
# Exactly the lock's packages, each checked against its hashes (ADR 0024; `make lock`).
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
COPY . .
COPY --from=assets /src/node_modules ./node_modules
# PYTHONDONTWRITEBYTECODE: no process writes bytecode at run time, so compile it here once, or
# every process (a worker, each `manage.py` command) compiles ctodp's modules as it starts.
RUN python scripts/copy_vendor.py --production && rm -rf node_modules \
 && python -m compileall -q -x '/(node_modules|tests|bench)/' . \
 && DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.db \
    REDIS_URL=redis://build:6379/0 SOCRATA_DOMAIN=build CTODP_PUBLIC_BASE_URL=https://build \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media && chown -R ctodp /app/var
USER ctodp
EXPOSE 8000
CMD ["gunicorn", "ctodp.wsgi", "--config", "gunicorn.conf.py"]
