#!/usr/bin/env bash
# Pushes the service images the build wrote (target/<service>-image.tar in each service module) to a registry
# with skopeo — no Docker daemon — and prints the kustomize `images:` block that points the k8s overlays at them.
#
#   sudo tools/base-image.sh && ./mvnw -Pimages -DskipTests install     # the tarballs (docs/deploy.md)
#   skopeo login registry.example.com                                   # once, if the registry wants credentials
#   tools/publish-images.sh registry.example.com/team [TAG]             # TAG: the project version by default
#
# DESTINATION may also name any skopeo transport (oci:/some/folder, dir:/some/folder) to write the images there.
# Needs skopeo (Debian: apt-get install skopeo).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:?usage: tools/publish-images.sh DESTINATION [TAG]}"
tag="${2:-$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n1)}"
command -v skopeo >/dev/null || { echo "publish-images: skopeo is needed (apt-get install skopeo)" >&2; exit 1; }

shopt -s nullglob
tars=("$root"/*-service/target/*-image.tar)
[[ ${#tars[@]} -gt 0 ]] || { echo "publish-images: no image tarballs; run ./mvnw -Pimages -DskipTests install first" >&2; exit 1; }

names=()
for tar in "${tars[@]}"; do
  name="$(basename "$tar" -image.tar)"
  case "$dest" in
    oci:/* | dir:/*) mkdir -p "${dest#*:}/loopline"; to="$dest/loopline/$name" ;;  # a folder: no tag
    *) to="docker://$dest/loopline/$name:$tag" ;;                                  # a registry
  esac
  echo "publish-images: $name → $to" >&2
  skopeo copy --quiet "docker-archive:$tar" "$to"
  names+=("$name")
done

if [[ "$dest" == oci:/* || "$dest" == dir:/* ]]; then
  exit 0 # images in a folder: nothing for a cluster to pull
fi
# Each overlay's kustomization.yaml takes this block (the gpu overlay maps loopline/render-service to the -gpu image).
echo "images:"
for name in "${names[@]}"; do
  [[ "$name" == render-service-gpu ]] && continue
  printf '  - name: loopline/%s\n    newName: %s/loopline/%s\n    newTag: "%s"\n' "$name" "$dest" "$name" "$tag"
done
