#!/usr/bin/env bash
# Runs the four service images — as built, with their own entrypoint, user and environment — without a
# container engine: each image's layers are unpacked into a root filesystem and its entrypoint started
# there with chroot (as the image's user, sharing this machine's network), against an in-process Kafka
# broker and S3 server. Then submits the example, fetches the video, and probes each service's health
# and metrics endpoints. Needs root (chroot, /proc mounts) and the images:
#
#   sudo tools/base-image.sh && ./mvnw -Pimages -DskipTests install && sudo tools/image-smoke.sh [OUT.mp4]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/target/images/smoke.mp4}"
work="$(mktemp -d)"
pids=()
mounts=()
cleanup() {
  # The services run chrooted under $work: stop them by their root directory, then the rest.
  for proc in /proc/[0-9]*; do
    [[ "$(readlink "$proc/root" 2>/dev/null)" == "$work"/* ]] && kill "${proc#/proc/}" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

services=(ingest feature render mux status)
declare -A port=([ingest]=18081 [feature]=18082 [render]=18083 [mux]=18084 [status]=18085)

echo "smoke: starting the in-process Kafka broker and S3 server" >&2
java -cp "$(cat "$root/cli/target/classpath.txt")" io.loopline.embedded.EmbeddedInfrastructure "$work/cluster.properties" \
  > "$work/infrastructure.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do [[ -f "$work/cluster.properties" ]] && break; sleep 0.5; done
[[ -f "$work/cluster.properties" ]] || { echo "smoke: the servers did not start" >&2; cat "$work/infrastructure.log" >&2; exit 1; }

# The image's configuration: entrypoint, user and environment, as a container engine would read them.
image_config() { # IMAGE_DIR FIELD
  python3 -c 'import json,sys; c=json.load(open(sys.argv[1]+"/config.json"))["config"]; f=sys.argv[2]
print("\n".join(c.get(f) or []) if f != "User" else c.get("User", "0:0"))' "$1" "$2"
}

unpack() { # SERVICE
  local tar="$root/$1-service/target/$1-service-image.tar" dir="$work/$1"
  [[ -f "$tar" ]] || { echo "smoke: no $tar (./mvnw -Pimages -DskipTests install)" >&2; exit 1; }
  mkdir -p "$dir/image" "$dir/rootfs"
  tar -xf "$tar" -C "$dir/image"
  for layer in $(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$dir/image/manifest.json"); do
    tar --warning=no-unknown-keyword -xzf "$dir/image/$layer" -C "$dir/rootfs"
  done
  mount -t proc proc "$dir/rootfs/proc"
  mounts+=("$dir/rootfs/proc")
  install -m 0644 "$work/cluster.properties" "$dir/rootfs/tmp/cluster.properties"
}

run_in() { # SERVICE LOG ENV... -- COMMAND...
  local svc="$1" log="$2"; shift 2
  local -a env=()
  while [[ "$1" != "--" ]]; do env+=("$1"); shift; done
  shift
  mapfile -t image_env < <(image_config "$work/$svc/image" Env)
  chroot --userspec="$(image_config "$work/$svc/image" User)" "$work/$svc/rootfs" \
    /usr/bin/env -i "${image_env[@]}" "${env[@]}" "$@" > "$log" 2>&1
}

for svc in "${services[@]}"; do unpack "$svc"; done

echo "smoke: creating topics with the ingest image" >&2
run_in ingest "$work/topics.log" -- java -cp @/app/jib-classpath-file io.loopline.core.kafka.CreateTopics /tmp/cluster.properties \
  || { cat "$work/topics.log" >&2; exit 1; }

for svc in "${services[@]}"; do
  mapfile -t entrypoint < <(image_config "$work/$svc/image" Entrypoint)
  run_in "$svc" "$work/$svc.log" LOOPLINE_MANAGEMENT_PORT="${port[$svc]}" LOOPLINE_TOPICS_CREATE=false \
    LOOPLINE_MUX_STATE_DIR=/tmp/mux-state LOOPLINE_STATUS_STATE_DIR=/tmp/status-state -- "${entrypoint[@]}" /tmp/cluster.properties &
  pids+=($!)
done
for svc in "${services[@]}"; do
  for _ in $(seq 180); do curl -fsS "http://127.0.0.1:${port[$svc]}/health/ready" >/dev/null 2>&1 && break; sleep 1; done
  if ! curl -fsS "http://127.0.0.1:${port[$svc]}/health/ready" >/dev/null; then
    echo "smoke: $svc never became ready" >&2; tail -30 "$work/$svc.log" >&2; exit 1
  fi
  echo "smoke: $svc ready on port ${port[$svc]} (user $(image_config "$work/$svc/image" User))" >&2
done

started=$(date +%s)
id="$("$root/loopline" submit --config "$work/cluster.properties" --image "$root/examples/portrait.jpg" \
  --audio "$root/examples/speech-20s.flac" --size 256)"
echo "smoke: submitted $id" >&2
"$root/loopline" fetch --config "$work/cluster.properties" --wait --out "$out" "$id"
echo "smoke: $out in $(( $(date +%s) - started )) s" >&2
for svc in "${services[@]}"; do
  echo "smoke: $svc /metrics:" >&2
  curl -fsS "http://127.0.0.1:${port[$svc]}/metrics" | grep -E '^loopline_(records_(in|out|failed)_total|stage_processing_seconds_count|model_run_seconds_count)' | sed 's/^/  /' >&2 || true
done
