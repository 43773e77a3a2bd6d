# syntax=docker/dockerfile:1
# Multi-stage build: the SDK stage builds the server (ONNX Runtime comes from its NuGet package); the runtime
# stage holds the published server with its native libraries and the model repository, and runs as a non-root user.

FROM mcr.microsoft.com/dotnet/sdk:10.0-bookworm-slim AS build
WORKDIR /src
COPY Directory.Build.props Directory.Build.targets Directory.Packages.props .editorconfig SpeechServe.slnx ./
COPY src/ src/
RUN dotnet publish src/Serving -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0-bookworm-slim AS runtime
# ffmpeg decodes compressed uploads (FLAC, MP3, Opus, WebM, M4A); curl serves the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin speechserve
WORKDIR /app
COPY --from=build /app ./
COPY models/ ./models/
# The adapter store lives outside the root-owned model repository, where the non-root user can write it; it starts
# with the adapters each model ships (the store of model <id> is <StorePath>/<id>, docs/adapters.md).
RUN for model in /app/models/*/; do \
        mkdir -p "/var/lib/speechserve/adapters/$(basename "$model")" \
        && cp -a "$model/adapters/." "/var/lib/speechserve/adapters/$(basename "$model")/"; \
    done \
    && chown -R speechserve /var/lib/speechserve
VOLUME /var/lib/speechserve
USER speechserve
ENV URLS=http://0.0.0.0:8080 \
    Serving__ModelsPath=/app/models \
    Adapters__StorePath=/var/lib/speechserve/adapters \
    DOTNET_gcServer=0 \
    MALLOC_ARENA_MAX=2
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["dotnet", "SpeechServe.Serving.dll"]
