# The argmap service image used by compose.yaml.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY service ./service
COPY migrations ./migrations
COPY argument_maps ./argument_maps
# Editable, so `argmap` finds migrations/ and argument_maps/ beside the package.
RUN pip install --no-cache-dir -e . && useradd --create-home argmap
USER argmap
EXPOSE 8000
CMD ["argmap", "serve"]
