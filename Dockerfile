# Augur worker image: build with the Swift toolchain, run on slim Debian with libfcgi and the
# zlib, bzip2, xz and lz4 runtime libraries (compressed joblib files).
# Not built in this project's CI (no container engine there); see README "Containers".
FROM swift:6.1-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libfcgi-dev zlib1g-dev libbz2-dev liblzma-dev liblz4-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources Sources
RUN swift build -c release --product augur --static-swift-stdlib \
    && cp "$(swift build -c release --show-bin-path)/augur" /usr/local/bin/augur

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libfcgi0ldbl zlib1g libbz2-1.0 liblzma5 liblz4-1 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/augur /usr/local/bin/augur
USER nobody
EXPOSE 9000
ENTRYPOINT ["augur"]
CMD ["serve", "--listen", "tcp:0.0.0.0:9000", "--model", "iris=/models/iris.joblib"]
