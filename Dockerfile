# The Closet app (backend + Streamlit) for docker-compose; the database is the mysql service.
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends make unzip chromium chromium-driver \
      fonts-noto-cjk && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt Makefile ./
RUN make setup PYTHON=python3
COPY . .
CMD ["make", "run", "PYTHON=python3"]
