# syntax=docker/dockerfile:1

# Build a static wizard-ci binary.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY cmd ./cmd
COPY internal ./internal
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/wizard-ci ./cmd/wizard-ci

# Runtime: the wizard needs Node.js >= 22.22 with npm/npx, pnpm to build it
# from source, and git to fetch it.
FROM node:22-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates python3 \
 && rm -rf /var/lib/apt/lists/* \
 && npm install -g pnpm@10 \
 && npm cache clean --force
COPY --from=build /out/wizard-ci /usr/local/bin/wizard-ci
# Docker actions run as the image's default user (root): GitHub mounts the
# workspace owned by the runner, and a non-root user could not write to it.
ENTRYPOINT ["/usr/local/bin/wizard-ci"]
# The action's mode by default; a step's `with: args` replaces it (action.yml
# has no runs.args, which GitHub would use instead), e.g. `plan all --shards 4`.
CMD ["action"]
