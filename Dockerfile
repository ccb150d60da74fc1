FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=accountant_portal.settings.production
WORKDIR /app
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/base.txt
COPY . .
# Static files are collected at build time and served by WhiteNoise (no CDN).
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput -v 0
RUN useradd --create-home app && mkdir -p /app/var && chown -R app /app/var
USER app
EXPOSE 8000
# The image alone can only tell whether its own process answers (/salud/); docker-compose asks more.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["python", "scripts/healthcheck.py", "/salud/"]
# Workers, threads, timeouts and the access log: gunicorn.conf.py (read from /app).
CMD ["gunicorn"]
