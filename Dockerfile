# The Closet image for docker-compose: one image, one service per process (backend, frontend, pipeline,
# migrate; see docker-compose.yml); the database is the mysql service. `docker run` alone: `make run`.
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends make unzip chromium chromium-driver \
      fonts-noto-cjk && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt Makefile ./
RUN make setup PYTHON=python3
# `python -m ...` in the compose commands is the venv's python; rembg finds the model make setup copied.
ENV PATH=/app/.venv/bin:$PATH U2NET_HOME=/app/data/models
COPY . .
CMD ["make", "run", "PYTHON=python3"]
