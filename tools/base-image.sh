#!/usr/bin/env bash
# Builds the base image of the service images — Debian 12 with a Java 17 runtime — as a Docker-format
# tarball, from Debian's packages only (no registry is asked for anything). Jib layers the services on
# it (`./mvnw -Pimages package`; docs/deploy.md). Needs root (debootstrap) and a few minutes once.
#
#   sudo tools/base-image.sh [OUT.tar]     default: target/images/loopline-base.tar
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/target/images/loopline-base.tar}"
suite=bookworm
# The JRE; CA certificates for TLS to brokers and storage; curl for container health checks;
# libgomp1 for ONNX Runtime's OpenMP builds.
packages=openjdk-17-jre-headless,ca-certificates,curl,libgomp1

if ! command -v debootstrap >/dev/null; then
  echo "base-image: needs debootstrap (apt-get install -y debootstrap)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The mirror this machine's apt already uses (debootstrap's own default otherwise).
mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
debootstrap --variant=minbase --include="$packages" "$suite" "$work/rootfs" ${mirror:+"$mirror"} >&2
rm -rf "$work"/rootfs/var/lib/apt/lists/* "$work"/rootfs/var/cache/apt/* "$work"/rootfs/var/log/* "$work"/rootfs/tmp/*
chmod 1777 "$work/rootfs/tmp"

# A Docker-format image archive (what `docker save` writes and Jib reads with tar://): one layer, its
# config, and the manifest naming them.
mkdir "$work/image"
tar --numeric-owner --sort=name --mtime=@0 -C "$work/rootfs" -cf "$work/image/layer.tar" .
diff_id="sha256:$(sha256sum "$work/image/layer.tar" | cut -d' ' -f1)"
java_home="/usr/lib/jvm/java-17-openjdk-amd64"
cat > "$work/image/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"tools/base-image.sh: debootstrap $suite + $packages"}]}
JSON
config_name="$(sha256sum "$work/image/config.json" | cut -d' ' -f1).json"
mv "$work/image/config.json" "$work/image/$config_name"
printf '[{"Config":"%s","RepoTags":["loopline/base:%s-jre17"],"Layers":["layer.tar"]}]\n' "$config_name" "$suite" > "$work/image/manifest.json"
mkdir -p "$(dirname "$out")"
tar -C "$work/image" -cf "$out" manifest.json "$config_name" layer.tar
echo "$out ($(du -h "$out" | cut -f1)): loopline/base:$suite-jre17" >&2
