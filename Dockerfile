# The argmap service image used by compose.yaml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY service ./service
COPY migrations ./migrations
COPY argument_maps ./argument_maps
# Editable, so `argmap` finds migrations/ and argument_maps/ beside the package. The
# compiler is there only to build the codecs' hot paths (service/domain/formats/_speedups.c)
# and leaves the image afterwards; without it the install would fall back to Python.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core gcc libc6-dev \
    && pip install --no-cache-dir -e . \
    && python -c "import service.domain.formats._speedups" \
    && apt-get purge -y --auto-remove gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home argmap
USER argmap
EXPOSE 8000
CMD ["argmap", "serve"]
