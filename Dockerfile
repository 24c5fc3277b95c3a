# syntax=docker/dockerfile:1
# The StreamKit example programs in one image: docker-compose.yml runs each stage as a service, e.g.
#   docker build -t streamkit/examples:dev .
#   docker run --rm streamkit/examples:dev market-pipeline --help

ARG SWIFT_VERSION=6.3
ARG EXAMPLES="market-pipeline order-analytics event-bus event-persistence"

# MARK: - Build
FROM swift:${SWIFT_VERSION}-bookworm AS build
ARG EXAMPLES
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends \
        librdkafka-dev libpq-dev libavro-dev pkg-config libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src
# Resolve the dependencies on their own layer, so that a source change does not fetch them again.
COPY Package.swift ./
RUN swift package resolve

COPY Sources ./Sources
COPY Benchmarks ./Benchmarks
COPY Tests ./Tests
# The Swift runtime and Foundation are linked in statically (FoundationNetworking needs libcurl's -dev to
# link); the C libraries stay Debian's shared ones.
RUN for product in ${EXAMPLES}; do \
        swift build -c release --static-swift-stdlib --product "$product" || exit 1; \
    done \
    && mkdir -p /staging \
    && for product in ${EXAMPLES}; do \
        cp "$(swift build -c release --show-bin-path)/$product" /staging/ || exit 1; \
    done

# MARK: - Run
FROM debian:bookworm-slim
ARG EXAMPLES
# What the binaries link dynamically (ldd): librdkafka1, libpq5 and libavro23, the runtime halves of the -dev
# packages above, and libcurl4 for the statically linked FoundationNetworking (Schema Registry client). curl
# serves the compose healthchecks; ca-certificates, TLS to managed Kafka and databases.
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends \
        librdkafka1 libpq5 libavro23 libcurl4 libstdc++6 ca-certificates curl tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --no-create-home --uid 10001 streamkit

COPY --from=build /staging/ /usr/local/bin/
RUN for product in ${EXAMPLES}; do "$product" --help >/dev/null || exit 1; done

USER streamkit
# 9464: the metrics and health endpoints; 8080: the order-analytics gateway.
EXPOSE 9464 8080
CMD ["market-pipeline", "--help"]
