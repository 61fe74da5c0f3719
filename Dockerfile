# Augur worker image: build with the Swift toolchain, run on slim Debian with libfcgi only.
# Not built in this project's CI (no container engine there); see README "Containers".
FROM swift:6.1-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libfcgi-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources Sources
RUN swift build -c release --product augur --static-swift-stdlib \
    && cp "$(swift build -c release --show-bin-path)/augur" /usr/local/bin/augur

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libfcgi0ldbl \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/augur /usr/local/bin/augur
USER nobody
EXPOSE 9000
ENTRYPOINT ["augur"]
CMD ["serve", "--listen", "tcp:0.0.0.0:9000", "--model", "iris=/models/iris.joblib"]
