# Augur worker image: built with the Swift toolchain, run on slim Debian with libfcgi and the
# zlib, bzip2, xz and lz4 libraries (compressed joblib files), as a non-root user.
# No container engine runs in this project's CI: scripts/validate-deploy lints this file
# with hadolint; README.md, "What is checked here, and what is not", says the rest.

# The toolchain the project is tested with (Swift 6.3.1 on Debian 12).
FROM swift:6.3.1-bookworm AS build
# Debian's security updates replace package versions, so exact pins would break the build;
# the base image's tag pins the release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libfcgi-dev zlib1g-dev libbz2-dev liblzma-dev liblz4-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources Sources
# Not built into the image, but SwiftPM refuses a manifest whose targets' folders are
# missing, even for one product: the test and benchmark targets' sources come along.
COPY Tests Tests
COPY bench/Sources bench/Sources
# The Swift runtime is linked in, so the runtime image needs no toolchain.
RUN swift build -c release --product augur --static-swift-stdlib \
    && cp "$(swift build -c release --show-bin-path)/augur" /usr/local/bin/augur

FROM debian:bookworm-slim
# libstdc++6 and libgcc-s1, which the binary also needs, are already in the slim image.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libfcgi0ldbl zlib1g libbz2-1.0 liblzma5 liblz4-1 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin augur
COPY --from=build /usr/local/bin/augur /usr/local/bin/augur
# Numeric, so that Kubernetes can check runAsNonRoot without reading /etc/passwd.
USER 10001:10001
EXPOSE 9000
ENTRYPOINT ["augur"]
# Serves every model file mounted at /models (see README "A model repository") on port 9000.
# Every option of `augur serve` is also an AUGUR_ variable (`augur help serve`), so
# `docker run -e AUGUR_WORKERS=4 …` changes one without repeating the command.
ENV AUGUR_LISTEN=tcp:0.0.0.0:9000 AUGUR_REPOSITORY=/models
CMD ["serve"]
